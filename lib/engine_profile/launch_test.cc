#include "lib/engine_profile/launch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lib/engine_profile/test_util.h"

namespace hai::engine_profile {
namespace {

using accel::Vendor;
using Env = std::vector<std::pair<std::string, std::string>>;
using Argv = std::vector<std::string>;
using testing::Shipped;

class LaunchTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(accel::RegisterBuiltinAdapters(&adapters_).ok()); }

  // A replica of "qwen" on port 21000, in its own directory.
  static LaunchContext Context(Vendor vendor, std::vector<int> devices) {
    LaunchContext c;
    c.model_path = "/var/lib/hai/models/qwen2-7b";
    c.served_name = "qwen";
    c.host = "10.0.0.5";
    c.port = 21000;
    c.vendor = vendor;
    c.device_ids = std::move(devices);
    c.engine_bin_dir = "/usr/lib/hai/bin";
    c.work_dir = "/var/lib/hai/replicas/r-7";
    return c;
  }

  Result<LaunchSpec> Render(const std::string& profile, const LaunchContext& c) {
    return engine_profile::Render(Shipped(profile), c, adapters_);
  }

  // The error of a render that must fail.
  Status Refusal(const std::string& profile, const LaunchContext& c) {
    auto spec = Render(profile, c);
    EXPECT_FALSE(spec.ok());
    return spec.ok() ? Status::Ok() : spec.status();
  }

  accel::AdapterRegistry adapters_;
};

TEST_F(LaunchTest, VllmOnFourNvidiaGpus) {
  auto spec = Render("vllm", Context(Vendor::kNvidia, {0, 1, 2, 3}));
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv,
            (Argv{"vllm", "serve", "/var/lib/hai/models/qwen2-7b", "--host", "10.0.0.5", "--port",
                  "21000", "--served-model-name", "qwen", "--tensor-parallel-size", "4"}));
  EXPECT_EQ(spec->env,
            (Env{{"CUDA_DEVICE_ORDER", "PCI_BUS_ID"}, {"CUDA_VISIBLE_DEVICES", "0,1,2,3"}}));
  EXPECT_TRUE(spec->files.empty());
  EXPECT_EQ(spec->working_dir, "/var/lib/hai/replicas/r-7");
  EXPECT_EQ(spec->health_path, "/health");
  EXPECT_EQ(spec->metrics_path, "/metrics");
  EXPECT_EQ(spec->ready_timeout_s, 1800);
}

TEST_F(LaunchTest, VllmAscendOnNpusTwoAndThree) {
  LaunchContext c = Context(Vendor::kAscend, {2, 3});
  c.params = {{"max_model_len", "8192"}};
  c.extra_args = {"--enforce-eager"};
  auto spec = Render("vllm-ascend", c);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv,
            (Argv{"vllm", "serve", "/var/lib/hai/models/qwen2-7b", "--host", "10.0.0.5", "--port",
                  "21000", "--served-model-name", "qwen", "--tensor-parallel-size", "2",
                  "--max-model-len", "8192", "--enforce-eager"}));
  EXPECT_EQ(spec->env, (Env{{"ASCEND_RT_VISIBLE_DEVICES", "2,3"}}));
}

TEST_F(LaunchTest, BuiltinOnASimulatedMetaxNode) {
  LaunchContext c = Context(Vendor::kMetax, {4, 5});
  c.simulated = true;
  c.params = {{"max_num_seqs", "8"}, {"threads", "4"}};
  auto spec = Render("builtin", c);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  // Parameters follow the command in name order.
  EXPECT_EQ(spec->argv,
            (Argv{"/usr/lib/hai/bin/hai-engine", "--model", "/var/lib/hai/models/qwen2-7b",
                  "--served-name", "qwen", "--host", "10.0.0.5", "--port", "21000",
                  "--max-num-seqs", "8", "--threads", "4"}));
  EXPECT_EQ(spec->env, (Env{{"CUDA_VISIBLE_DEVICES", "4,5"}, {"OMP_WAIT_POLICY", "PASSIVE"}}));
  EXPECT_EQ(spec->health_path, "/health");
  EXPECT_EQ(spec->ready_timeout_s, 300);
}

TEST_F(LaunchTest, BuiltinOnTheCpu) {
  auto spec = Render("builtin", Context(Vendor::kCpu, {}));
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv,
            (Argv{"/usr/lib/hai/bin/hai-engine", "--model", "/var/lib/hai/models/qwen2-7b",
                  "--served-name", "qwen", "--host", "10.0.0.5", "--port", "21000"}));
  EXPECT_EQ(spec->env, (Env{{"OMP_WAIT_POLICY", "PASSIVE"}}));
}

TEST_F(LaunchTest, MindieWritesItsConfigFile) {
  auto spec = Render("mindie", Context(Vendor::kAscend, {2, 3}));
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv,
            (Argv{"/usr/local/Ascend/mindie/latest/mindie-service/bin/mindieservice_daemon"}));
  EXPECT_EQ(spec->env,
            (Env{{"ASCEND_RT_VISIBLE_DEVICES", "2,3"},
                 {"MIES_CONFIG_JSON_PATH", "/var/lib/hai/replicas/r-7/mindie-config.json"},
                 {"MIES_INSTALL_PATH", "/usr/local/Ascend/mindie/latest/mindie-service"},
                 {"MIES_SERVICE_MONITOR_MODE", "1"},
                 {"MINDIE_LOG_TO_STDOUT", "1"}}));
  EXPECT_EQ(spec->health_path, "/v2/health/ready");
  ASSERT_EQ(spec->files.size(), 1u);
  EXPECT_EQ(spec->files[0].path, "/var/lib/hai/replicas/r-7/mindie-config.json");
  auto config = nlohmann::json::parse(spec->files[0].content);
  const auto& server = config["ServerConfig"];
  EXPECT_EQ(server["ipAddress"], "10.0.0.5");
  EXPECT_EQ(server["managementIpAddress"], "10.0.0.5");
  EXPECT_EQ(server["port"], 21000);
  EXPECT_EQ(server["managementPort"], 21000);
  EXPECT_EQ(server["metricsPort"], 21000);
  EXPECT_EQ(server["httpsEnabled"], false);
  const auto& backend = config["BackendConfig"];
  // Logical ids: the NPUs behind ASCEND_RT_VISIBLE_DEVICES=2,3 are 0 and 1.
  EXPECT_EQ(backend["npuDeviceIds"], nlohmann::json::parse("[[0,1]]"));
  const auto& deploy = backend["ModelDeployConfig"];
  EXPECT_EQ(deploy["maxSeqLen"], 2560);
  EXPECT_EQ(deploy["maxInputTokenLen"], 2048);
  const auto& model = deploy["ModelConfig"][0];
  EXPECT_EQ(model["modelName"], "qwen");
  EXPECT_EQ(model["modelWeightPath"], "/var/lib/hai/models/qwen2-7b");
  EXPECT_EQ(model["worldSize"], 2);
  EXPECT_EQ(model["npuMemSize"], -1);
  EXPECT_EQ(backend["ScheduleConfig"]["maxBatchSize"], 200);
}

TEST_F(LaunchTest, MindieParametersAndEscaping) {
  LaunchContext c = Context(Vendor::kAscend, {0, 1, 2, 3, 4, 5, 6, 7});
  c.params = {{"max_model_len", "32768"},
              {"max_input_len", "30000"},
              {"max_prefill_tokens", "32768"},
              {"mindie_service_dir", "/opt/mindie/mindie-service"}};
  c.model_path = "/models/weird \"name\"\\dir";
  auto spec = Render("mindie", c);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv[0], "/opt/mindie/mindie-service/bin/mindieservice_daemon");
  auto config = nlohmann::json::parse(spec->files[0].content);
  const auto& deploy = config["BackendConfig"]["ModelDeployConfig"];
  EXPECT_EQ(deploy["maxSeqLen"], 32768);
  EXPECT_EQ(deploy["maxInputTokenLen"], 30000);
  EXPECT_EQ(deploy["ModelConfig"][0]["modelWeightPath"], "/models/weird \"name\"\\dir");
  EXPECT_EQ(deploy["ModelConfig"][0]["worldSize"], 8);
  EXPECT_EQ(config["BackendConfig"]["npuDeviceIds"], nlohmann::json::parse("[[0,1,2,3,4,5,6,7]]"));
  EXPECT_EQ(config["BackendConfig"]["ScheduleConfig"]["maxPrefillTokens"], 32768);
}

TEST_F(LaunchTest, SglangOnTwoNvidiaGpus) {
  LaunchContext c = Context(Vendor::kNvidia, {6, 7});
  c.params = {{"mem_fraction_static", "0.85"}};
  auto spec = Render("sglang", c);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv, (Argv{"python3", "-m", "sglang.launch_server", "--model-path",
                              "/var/lib/hai/models/qwen2-7b", "--host", "10.0.0.5", "--port",
                              "21000", "--served-model-name", "qwen", "--tp-size", "2",
                              "--enable-metrics", "--mem-fraction-static", "0.85"}));
  EXPECT_EQ(spec->env, (Env{{"CUDA_DEVICE_ORDER", "PCI_BUS_ID"}, {"CUDA_VISIBLE_DEVICES", "6,7"}}));
}

TEST_F(LaunchTest, LlamaCppServerOnOneHygonDcu) {
  LaunchContext c = Context(Vendor::kHygon, {1});
  c.model_path = "/var/lib/hai/models/qwen2-7b/qwen2-7b-q4_k_m.gguf";
  auto spec = Render("llama-cpp-server", c);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv,
            (Argv{"llama-server", "--model", "/var/lib/hai/models/qwen2-7b/qwen2-7b-q4_k_m.gguf",
                  "--host", "10.0.0.5", "--port", "21000", "--alias", "qwen", "--metrics",
                  "--n-gpu-layers", "999"}));
  EXPECT_EQ(spec->env, (Env{{"HIP_VISIBLE_DEVICES", "1"}}));
  EXPECT_EQ(spec->ready_timeout_s, 900);
}

TEST_F(LaunchTest, MooreThreadsGetsBothVariables) {
  auto spec = Render("vllm", Context(Vendor::kMthreads, {0, 1}));
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->env, (Env{{"CUDA_VISIBLE_DEVICES", "0,1"}, {"MUSA_VISIBLE_DEVICES", "0,1"}}));
}

TEST_F(LaunchTest, ADeploymentArgumentReplacesAParameter) {
  LaunchContext c = Context(Vendor::kNvidia, {0});
  c.model_path = "/m/q.gguf";
  c.extra_args = {"--n-gpu-layers=20", "--ctx-size", "4096"};
  c.params = {{"max_model_len", "8192"}};
  auto spec = Render("llama-cpp-server", c);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv,
            (Argv{"llama-server", "--model", "/m/q.gguf", "--host", "10.0.0.5", "--port", "21000",
                  "--alias", "qwen", "--metrics", "--n-gpu-layers=20", "--ctx-size", "4096"}));
}

TEST_F(LaunchTest, TensorParallelSizeCanBeSmallerThanTheDeviceCount) {
  LaunchContext c = Context(Vendor::kNvidia, {0, 1, 2, 3});
  c.tp = 2;
  c.extra_args = {"--pipeline-parallel-size", "2"};
  auto spec = Render("vllm", c);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_THAT(spec->argv, ::testing::ElementsAre(
                              "vllm", "serve", ::testing::_, "--host", ::testing::_, "--port",
                              "21000", "--served-model-name", "qwen", "--tensor-parallel-size", "2",
                              "--pipeline-parallel-size", "2"));
}

TEST_F(LaunchTest, DeploymentEnvironment) {
  LaunchContext c = Context(Vendor::kCpu, {});
  c.extra_env = {{"OMP_WAIT_POLICY", "ACTIVE"}, {"HAI_TRACE", "1"}};
  auto spec = Render("builtin", c);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  // The deployment's variables win over the profile's.
  EXPECT_EQ(spec->env, (Env{{"HAI_TRACE", "1"}, {"OMP_WAIT_POLICY", "ACTIVE"}}));

  LaunchContext gpu = Context(Vendor::kNvidia, {0});
  gpu.extra_env = {{"CUDA_VISIBLE_DEVICES", "0,1,2"}};
  Status st = Refusal("vllm", gpu);
  EXPECT_EQ(st.field(), "env.CUDA_VISIBLE_DEVICES");
  EXPECT_EQ(st.message(),
            "env.CUDA_VISIBLE_DEVICES: the placement sets the visible devices; it cannot be "
            "overridden");
  gpu.extra_env = {{"BAD NAME", "1"}};
  EXPECT_EQ(Refusal("vllm", gpu).field(), "env");
}

TEST_F(LaunchTest, FlagsOfTheCommandCannotBeOverridden) {
  LaunchContext c = Context(Vendor::kNvidia, {0, 1});
  c.extra_args = {"--max-model-len", "4096", "--port=9999"};
  Status st = Refusal("vllm", c);
  EXPECT_EQ(st.field(), "args[2]");
  EXPECT_EQ(st.message(),
            "args[2]: --port is set by the engine profile vllm and cannot be given as an engine "
            "argument");
  c.extra_args = {"-tp", "1"};  // a reserved alias
  EXPECT_EQ(Refusal("vllm", c).field(), "args[0]");
  c.extra_args = {"--max-model-len", "4096; reboot"};
  EXPECT_EQ(Refusal("vllm", c).field(), "args[1]");
}

TEST_F(LaunchTest, VendorAndDeviceRefusals) {
  Status wrong_vendor = Refusal("vllm", Context(Vendor::kAscend, {0}));
  EXPECT_EQ(wrong_vendor.field(), "vendor");
  EXPECT_EQ(wrong_vendor.message(),
            "engine vllm does not run on ascend (it runs on nvidia, hygon, metax, mthreads, ppu)");

  LaunchContext simulated = Context(Vendor::kAscend, {0, 1});
  simulated.simulated = true;
  Status sim = Refusal("vllm-ascend", simulated);
  EXPECT_EQ(sim.code(), Code::kFailedPrecondition);
  EXPECT_EQ(sim.field(), "devices");

  EXPECT_EQ(Refusal("builtin", Context(Vendor::kCpu, {0})).field(), "devices");
  EXPECT_EQ(Refusal("vllm", Context(Vendor::kNvidia, {})).field(), "devices");
  EXPECT_EQ(Refusal("vllm", Context(Vendor::kNvidia, {1, 1})).field(), "devices");
  EXPECT_EQ(Refusal("vllm", Context(Vendor::kNvidia, {-1})).field(), "devices");
  LaunchContext too_wide = Context(Vendor::kNvidia, {0, 1});
  too_wide.tp = 4;
  EXPECT_EQ(Refusal("vllm", too_wide).message(), "tp must be 1..2 for 2 devices, got 4");
}

TEST_F(LaunchTest, ParameterRefusals) {
  LaunchContext c = Context(Vendor::kNvidia, {0});
  c.params = {{"max_model_length", "4096"}};
  Status unknown = Refusal("vllm", c);
  EXPECT_EQ(unknown.field(), "params.max_model_length");
  EXPECT_EQ(unknown.message(),
            "engine vllm has no parameter \"max_model_length\" (it has: dtype, "
            "gpu_memory_utilization, max_model_len, max_num_seqs)");
  c.params = {{"max_model_len", "lots"}};
  EXPECT_EQ(Refusal("vllm", c).message(),
            "params.max_model_len: expected an integer, got \"lots\"");
  c.params = {{"gpu_memory_utilization", "0x1p-1"}};
  EXPECT_EQ(Refusal("vllm", c).field(), "params.gpu_memory_utilization");
}

TEST_F(LaunchTest, ContextRefusals) {
  LaunchContext no_bin = Context(Vendor::kCpu, {});
  no_bin.engine_bin_dir.clear();
  EXPECT_EQ(Refusal("builtin", no_bin).message(),
            "engine profile builtin: command[0]: {engine_bin_dir} has no value");
  // Engines that do not use it do not need it.
  LaunchContext vllm = Context(Vendor::kNvidia, {0});
  vllm.engine_bin_dir.clear();
  EXPECT_TRUE(Render("vllm", vllm).ok());

  LaunchContext c = Context(Vendor::kCpu, {});
  c.port = 0;
  EXPECT_EQ(Refusal("builtin", c).field(), "port");
  c = Context(Vendor::kCpu, {});
  c.model_path = "models/qwen";
  EXPECT_EQ(Refusal("builtin", c).message(), "model_path: must be an absolute path");
  c = Context(Vendor::kCpu, {});
  c.served_name = "two words";
  EXPECT_EQ(Refusal("builtin", c).field(), "served_name");
  c = Context(Vendor::kCpu, {});
  c.served_name = "--port";
  EXPECT_EQ(Refusal("builtin", c).message(), "served_name: must not start with '-'");
  c = Context(Vendor::kCpu, {});
  c.work_dir = "";
  EXPECT_EQ(Refusal("builtin", c).message(), "work_dir is required");
}

TEST_F(LaunchTest, ProfileProblemsFoundAtRender) {
  // A profile that sets a visible-devices variable itself.
  auto p = ParseProfile(R"(
name = "t"
display_name = "T"
categories = ["text-generation"]
vendors = ["nvidia"]
command = ["t", "{port}"]
health_path = "/h"
[env]
CUDA_VISIBLE_DEVICES = "0"
)",
                        "t.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto spec = engine_profile::Render(*p, Context(Vendor::kNvidia, {3}), adapters_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(),
            "engine profile t: env.CUDA_VISIBLE_DEVICES: set from the placement; remove it here");

  // A JSON config template that does not render to JSON.
  auto bad_json = ParseProfile(R"(
name = "t"
display_name = "T"
categories = ["text-generation"]
vendors = ["cpu"]
command = ["t"]
health_path = "/h"
[params.flag]
default = "yes"
[[config_files]]
path = "{work_dir}/t.json"
format = "json"
content = '{"port": {port}, "flag": {flag}}'
)",
                               "t.toml");
  ASSERT_TRUE(bad_json.ok()) << bad_json.status().ToString();
  auto rendered = engine_profile::Render(*bad_json, Context(Vendor::kCpu, {}), adapters_);
  ASSERT_FALSE(rendered.ok());
  EXPECT_TRUE(rendered.status().message().starts_with(
      "engine profile t: config_files[0].content: the rendered file is not valid JSON"))
      << rendered.status().message();
}

TEST(DisplayCommandTest, QuotesWhatAShellWouldSplit) {
  EXPECT_EQ(DisplayCommand({"vllm", "serve", "/m/q", "--port", "21000"}),
            "vllm serve /m/q --port 21000");
  EXPECT_EQ(DisplayCommand({"x", "two words", "it's", ""}), "x 'two words' 'it'\\''s' ''");
}

}  // namespace
}  // namespace hai::engine_profile
