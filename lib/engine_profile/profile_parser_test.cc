#include "lib/engine_profile/profile_parser.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "lib/engine_profile/test_util.h"

namespace hai::engine_profile {
namespace {

// A small valid profile; tests append or replace lines to break it.
constexpr std::string_view kMinimal = R"(
name = "tiny"
display_name = "Tiny"
categories = ["text-generation"]
vendors = ["nvidia", "cpu"]
command = ["tiny-server", "--model", "{model_path}", "--port", "{port}"]
health_path = "/health"
)";

Status ParseError(std::string_view text) {
  Result<EngineProfile> p = ParseProfile(text, "tiny.toml");
  return p.ok() ? Status::Ok() : p.status();
}

std::string With(std::string_view extra) { return std::string(kMinimal) + std::string(extra); }

std::string Replacing(std::string_view from, std::string_view to) {
  std::string text(kMinimal);
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(ProfileParserTest, MinimalProfileAndDefaults) {
  auto p = ParseProfile(kMinimal, "tiny.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->name, "tiny");
  EXPECT_EQ(p->display_name, "Tiny");
  EXPECT_EQ(p->description, "");
  ASSERT_EQ(p->categories.size(), 1u);
  EXPECT_EQ(p->categories[0], Category::kTextGeneration);
  EXPECT_TRUE(p->SupportsVendor(accel::Vendor::kCpu));
  EXPECT_FALSE(p->SupportsVendor(accel::Vendor::kAscend));
  EXPECT_FALSE(p->runs_on_simulated_devices);
  EXPECT_EQ(p->command.size(), 5u);
  EXPECT_EQ(p->health_path, "/health");
  EXPECT_EQ(p->metrics_path, "");
  EXPECT_EQ(p->ready_timeout_s, 600);
  EXPECT_TRUE(p->env.empty());
  EXPECT_TRUE(p->params.empty());
  EXPECT_TRUE(p->metric_map.empty());
}

TEST(ProfileParserTest, FullProfile) {
  auto p = ParseProfile(With(R"(
description = "d"
runs_on_simulated_devices = true
reserved_flags = ["-m"]
metrics_path = "/metrics"
ready_timeout_s = 30
[env]
TINY_HOME = "{work_dir}/home"
[params.ctx]
kind = "integer"
default = "4096"
args = ["--ctx", "{value}"]
description = "context"
[params.home]
default = "/opt/tiny"
[[config_files]]
path = "{work_dir}/tiny.json"
format = "json"
content = '{"port": {port}, "home": "{home}", "ctx": {ctx}}'
[metric_map]
"tiny:running" = "vllm:num_requests_running"
)"),
                        "tiny.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->runs_on_simulated_devices);
  EXPECT_EQ(p->reserved_flags, std::vector<std::string>{"-m"});
  EXPECT_EQ(p->ready_timeout_s, 30);
  EXPECT_EQ(p->env.at("TINY_HOME"), "{work_dir}/home");
  const ParamSpec& ctx = p->params.at("ctx");
  EXPECT_EQ(ctx.kind, ParamKind::kInteger);
  EXPECT_EQ(ctx.default_value, "4096");
  EXPECT_EQ(ctx.args, (std::vector<std::string>{"--ctx", "{value}"}));
  EXPECT_EQ(p->params.at("home").kind, ParamKind::kString);
  ASSERT_EQ(p->config_files.size(), 1u);
  EXPECT_TRUE(p->config_files[0].json);
  EXPECT_EQ(p->metric_map.at("tiny:running"), "vllm:num_requests_running");
}

TEST(ProfileParserTest, BadToml) {
  Status st = ParseError("name = \"tiny\"\ncommand = [\"a\",\n");
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.message().starts_with("tiny.toml:")) << st.message();
}

TEST(ProfileParserTest, UnknownKeys) {
  Status top = ParseError(With("comand = [\"x\"]\n"));
  EXPECT_EQ(top.message(), "tiny.toml: comand: unknown key");
  EXPECT_EQ(top.field(), "comand");
  Status in_param =
      ParseError(With("[params.ctx]\nargs = [\"--ctx\", \"{value}\"]\ndefualt = \"1\"\n"));
  EXPECT_EQ(in_param.message(), "tiny.toml: params.ctx.defualt: unknown key");
  Status in_file =
      ParseError(With("[[config_files]]\npath = \"{work_dir}/a\"\ncontent = \"x\"\nmode = 1\n"));
  EXPECT_EQ(in_file.message(), "tiny.toml: config_files[0].mode: unknown key");
}

TEST(ProfileParserTest, MissingRequiredKeys) {
  std::string no_command(kMinimal);
  no_command.erase(no_command.find("command"),
                   no_command.find("health_path") - no_command.find("command"));
  EXPECT_EQ(ParseError(no_command).message(), "tiny.toml: command: required");
  EXPECT_EQ(ParseError(Replacing("command = [\"tiny-server\", \"--model\", \"{model_path}\", "
                                 "\"--port\", \"{port}\"]",
                                 "command = []"))
                .message(),
            "tiny.toml: command: must not be empty");
  EXPECT_EQ(ParseError(Replacing("health_path = \"/health\"", "")).message(),
            "tiny.toml: health_path: required");
  EXPECT_EQ(ParseError(Replacing("name = \"tiny\"", "")).message(), "tiny.toml: name: required");
  EXPECT_EQ(ParseError(Replacing("vendors = [\"nvidia\", \"cpu\"]", "")).message(),
            "tiny.toml: vendors: required");
}

TEST(ProfileParserTest, UnknownPlaceholder) {
  Status st = ParseError(Replacing("{model_path}", "{modle_path}"));
  EXPECT_EQ(st.message(), "tiny.toml: command[2]: unknown placeholder {modle_path}");
  EXPECT_EQ(st.field(), "command[2]");
  EXPECT_EQ(ParseError(With("[env]\nX = \"{hom}\"\n")).message(),
            "tiny.toml: env.X: unknown placeholder {hom}");
  EXPECT_EQ(ParseError(With("[[config_files]]\npath = \"{work_dir}/a\"\ncontent = \"{prot}\"\n"))
                .message(),
            "tiny.toml: config_files[0].content: unknown placeholder {prot}");
  EXPECT_EQ(ParseError(Replacing("{port}", "{{port}}")).message(),
            "tiny.toml: command[4]: \"{{port}}\": placeholders take single braces, write {port}");
}

TEST(ProfileParserTest, ValueAndParameterPlaceholders) {
  EXPECT_EQ(ParseError(Replacing("{port}", "{value}")).message(),
            "tiny.toml: command[4]: {value} is only known inside a parameter's args");
  EXPECT_EQ(
      ParseError(With("[params.ctx]\nargs = [\"--ctx\", \"{value}\"]\n[env]\nC = \"{ctx}\"\n"))
          .message(),
      "tiny.toml: env.C: {ctx} is a parameter without a default; give params.ctx a default "
      "to use it here");
  EXPECT_EQ(ParseError(With("[params.ctx]\nkind = \"integer\"\n")).message(),
            "tiny.toml: params.ctx: needs args (added when it has a value) or a default (a "
            "placeholder)");
}

TEST(ProfileParserTest, BadParameters) {
  EXPECT_EQ(ParseError(With("[params.ctx]\nkind = \"int\"\ndefault = \"1\"\n")).message(),
            "tiny.toml: params.ctx.kind: expected \"string\", \"integer\" or \"number\"");
  EXPECT_EQ(ParseError(With("[params.ctx]\nkind = \"integer\"\ndefault = \"4k\"\n")).message(),
            "tiny.toml: params.ctx.default: expected an integer, got \"4k\"");
  EXPECT_EQ(ParseError(With("[params.ctx]\nkind = \"integer\"\ndefault = 4096\n")).message(),
            "tiny.toml: params.ctx.default: expected a string (quote numbers: \"4096\")");
  EXPECT_EQ(ParseError(With("[params.frac]\nkind = \"number\"\ndefault = \"nan\"\n")).message(),
            "tiny.toml: params.frac.default: expected a number, got \"nan\"");
  EXPECT_EQ(ParseError(With("[params.port]\ndefault = \"1\"\n")).message(),
            "tiny.toml: params.port: this name is a launch placeholder; choose another");
  EXPECT_EQ(ParseError(With("[params.Ctx]\ndefault = \"1\"\n")).message(),
            "tiny.toml: params.Ctx: a parameter name is lower-case letters, digits and '_'");
}

TEST(ProfileParserTest, BadValues) {
  EXPECT_EQ(ParseError(Replacing("\"nvidia\", \"cpu\"", "\"nvidia\", \"tpu\"")).message(),
            "tiny.toml: vendors: \"tpu\" is not a vendor (ascend, metax, hygon, mthreads, ppu, "
            "nvidia, cpu)");
  EXPECT_EQ(ParseError(Replacing("\"nvidia\", \"cpu\"", "\"nvidia\", \"nvidia\"")).message(),
            "tiny.toml: vendors: \"nvidia\" is listed twice");
  EXPECT_EQ(ParseError(Replacing("text-generation", "chat")).message(),
            "tiny.toml: categories: \"chat\" is not a category (text-generation, embedding, "
            "rerank, image-generation, speech-generation, video-generation)");
  EXPECT_EQ(ParseError(Replacing("\"/health\"", "\"health\"")).message(),
            "tiny.toml: health_path: must start with '/'");
  EXPECT_EQ(ParseError(Replacing("name = \"tiny\"", "name = \"Tiny Engine\"")).message(),
            "tiny.toml: name: lower-case letters, digits and '-', at most 64");
  EXPECT_EQ(ParseError(Replacing("name = \"tiny\"", "name = 3")).message(),
            "tiny.toml: name: expected a string");
  EXPECT_EQ(ParseError(With("ready_timeout_s = 0\n")).message(),
            "tiny.toml: ready_timeout_s: expected an integer from 1 to 86400");
  EXPECT_EQ(ParseError(With("runs_on_simulated_devices = \"yes\"\n")).message(),
            "tiny.toml: runs_on_simulated_devices: expected true or false");
  EXPECT_EQ(ParseError(With("reserved_flags = [\"m\"]\n")).message(),
            "tiny.toml: reserved_flags: \"m\" is not a flag");
  EXPECT_EQ(ParseError(With("[env]\n\"A-B\" = \"1\"\n")).message(),
            "tiny.toml: env.A-B: not a variable name");
}

TEST(ProfileParserTest, MetricMapTargetsMustBeCanonical) {
  EXPECT_EQ(ParseError(With("[metric_map]\n\"tiny:running\" = \"vllm:running\"\n")).message(),
            "tiny.toml: metric_map.tiny:running: \"vllm:running\" is not a canonical metric (see "
            "CanonicalMetricNames in lib/engine_profile/metric_map.h)");
  EXPECT_EQ(ParseError(With("[metric_map]\n\"tiny running\" = \"vllm:num_requests_running\"\n"))
                .message(),
            "tiny.toml: metric_map.tiny running: not a Prometheus metric name");
}

TEST(ProfileParserTest, ConfigFilesStayInTheWorkDir) {
  for (std::string path : {"/etc/tiny.json", "{work_dir}/../x", "{work_dir}/", "{model_path}/x"}) {
    Status st = ParseError(With("[[config_files]]\npath = \"" + path + "\"\ncontent = \"x\"\n"));
    EXPECT_EQ(st.message(),
              "tiny.toml: config_files[0].path: must be \"{work_dir}/NAME\" without \"..\"")
        << path;
  }
  EXPECT_EQ(ParseError(With("[[config_files]]\npath = \"{work_dir}/a\"\ncontent = \"x\"\n"
                            "format = \"yaml\"\n"))
                .message(),
            "tiny.toml: config_files[0].format: expected \"text\" or \"json\"");
  EXPECT_EQ(ParseError(With("[[config_files]]\npath = \"{work_dir}/a\"\ncontent = \"x\"\n"
                            "[[config_files]]\npath = \"{work_dir}/a\"\ncontent = \"y\"\n"))
                .message(),
            "tiny.toml: config_files[1].path: written twice");
}

class LoadProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hai-engine-profiles-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, std::string_view text) { std::ofstream(dir_ / name) << text; }
  std::filesystem::path dir_;
};

TEST_F(LoadProfilesTest, LoadsTomlFilesInNameOrder) {
  Write("tiny.toml", kMinimal);
  std::string other(kMinimal);
  other.replace(other.find("\"tiny\""), 6, "\"a-tiny\"");
  Write("a-tiny.toml", other);
  Write("README.md", "not a profile");
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
  ASSERT_EQ(profiles->size(), 2u);
  EXPECT_EQ((*profiles)[0].name, "a-tiny");
  EXPECT_EQ((*profiles)[1].name, "tiny");
  EXPECT_NE(FindProfile(*profiles, "tiny"), nullptr);
  EXPECT_EQ(FindProfile(*profiles, "vllm"), nullptr);
}

TEST_F(LoadProfilesTest, ACopiedProfileIsADuplicateName) {
  Write("tiny.toml", kMinimal);
  Write("tiny-copy.toml", kMinimal);
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_FALSE(profiles.ok());
  EXPECT_EQ(profiles.status().message(),
            (dir_ / "tiny-copy.toml").string() +
                ": name: \"tiny\" must match the file name (\"tiny-copy\")");
}

TEST_F(LoadProfilesTest, OneBadFileFailsTheLoadAndIsNamed) {
  Write("tiny.toml", kMinimal);
  Write("zz.toml", "name = \"zz\"\n");
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_FALSE(profiles.ok());
  EXPECT_EQ(profiles.status().message(), (dir_ / "zz.toml").string() + ": display_name: required");
}

TEST_F(LoadProfilesTest, MissingDirectory) {
  auto profiles = LoadProfiles((dir_ / "nope").string());
  ASSERT_FALSE(profiles.ok());
  EXPECT_EQ(profiles.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace hai::engine_profile
