#include "daemons/engine/tests/engine_process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace hai::engine::testing {
namespace {

using namespace std::chrono_literals;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits for a child to exit: at most `tries` × 50 ms (bounded, not a timing assertion).
std::optional<int> WaitChild(proc::Child& child, int tries) {
  for (int i = 0; i < tries; ++i) {
    if (auto status = child.Poll()) return status;
    std::this_thread::sleep_for(50ms);
  }
  return child.Poll();
}

}  // namespace

std::string BinDir() { return HAI_TEST_BIN_DIR; }

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = (std::filesystem::temp_directory_path() /
           ("hai-engine-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
              .string();
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool MakeCheckpoint(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {BinDir() + "/hai-model", "init", "--out", dir};
  argv.insert(argv.end(), args.begin(), args.end());
  auto child = proc::Child::Spawn({argv});
  if (!child.ok()) return false;
  auto status = WaitChild(*child, 2400);
  return status && *status == 0;
}

std::vector<std::string> TinyDecoderArgs() {
  return {"--arch",     "qwen2", "--layers", "2",   "--hidden", "64", "--heads",        "4",
          "--kv-heads", "2",     "--vocab",  "512", "--seed",   "7",  "--max-position", "160"};
}

std::vector<std::string> TinyEncoderArgs(int num_labels) {
  std::vector<std::string> args = {"--arch",         "bert", "--layers", "2",   "--hidden", "32",
                                   "--heads",        "4",    "--vocab",  "512", "--seed",   "11",
                                   "--max-position", "64"};
  if (num_labels > 0) {
    args.push_back("--num-labels");
    args.push_back(std::to_string(num_labels));
  }
  return args;
}

EngineProcess::EngineProcess(const std::string& model_dir, const std::string& served_name,
                             const std::vector<std::string>& extra_args)
    : served_name_(served_name) {
  // Through sh only to send stderr to a file; exec keeps one process.
  std::vector<std::string> argv = {"/bin/sh",
                                   "-c",
                                   "exec \"$0\" \"$@\" 2>\"$HAI_TEST_LOG\"",
                                   BinDir() + "/hai-engine",
                                   "--model",
                                   model_dir,
                                   "--served-name",
                                   served_name,
                                   "--port",
                                   "0",
                                   "--ready-file",
                                   dir_.path() + "/ready.json",
                                   "--threads",
                                   "1",
                                   "--log-level",
                                   "info"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto child = proc::Child::Spawn({argv, {"HAI_TEST_LOG=" + dir_.path() + "/engine.log"}});
  if (!child.ok()) {
    ADD_FAILURE() << child.status().ToString();
    return;
  }
  child_ = std::make_unique<proc::Child>(std::move(*child));
}

EngineProcess::~EngineProcess() {
  if (!child_) return;
  int status = child_->Terminate(std::chrono::seconds(20));
  // A served engine stops cleanly on SIGTERM; sanitizer reports from the
  // daemon only reach its log, so look there too.
  std::string log = Log();
  if (port_ > 0) {
    EXPECT_EQ(status, 0) << log;
  }
  for (const char* report : {"AddressSanitizer", "LeakSanitizer", "runtime error:"})
    EXPECT_EQ(log.find(report), std::string::npos) << log;
}

bool EngineProcess::WaitReady() {
  if (!child_) return false;
  const std::string ready = dir_.path() + "/ready.json";
  for (int i = 0; i < 2400 && !std::filesystem::exists(ready); ++i) {
    if (child_->Poll()) return false;
    std::this_thread::sleep_for(50ms);
  }
  std::string text = ReadFile(ready);
  if (text.empty()) return false;
  port_ = nlohmann::json::parse(text)["port"].get<int>();
  return port_ > 0;
}

int EngineProcess::WaitExit() {
  if (!child_) return -1;
  return WaitChild(*child_, 2400).value_or(-1);
}

int EngineProcess::Terminate() { return child_ ? child_->Terminate(std::chrono::seconds(20)) : -1; }

std::string EngineProcess::Log() const { return ReadFile(dir_.path() + "/engine.log"); }

EngineProcess::Reply EngineProcess::Send(const std::string& method, const std::string& path,
                                         const std::string& body) {
  http::Client client("127.0.0.1", port_, 120000);
  auto r = client.Send(method, path, body);
  Reply reply;
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return reply;
  }
  reply.status = r->status;
  reply.raw = r->body;
  reply.body = nlohmann::json::parse(r->body, nullptr, false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

EngineProcess::Reply EngineProcess::PostRaw(const std::string& path, const std::string& body) {
  return Send("POST", path, body);
}

EngineProcess::Reply EngineProcess::Post(const std::string& path, const nlohmann::json& body) {
  return PostRaw(path, body.dump());
}

EngineProcess::Reply EngineProcess::Get(const std::string& path) { return Send("GET", path, ""); }

double EngineProcess::Metric(const std::string& name, const std::string& more_labels) {
  Reply r = Get("/metrics");
  const std::string prefix = name + "{model_name=\"" + served_name_ + "\"" +
                             (more_labels.empty() ? "" : "," + more_labels) + "} ";
  std::istringstream lines(r.raw);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size()));
  }
  return std::nan("");
}

void DecoderEngineTest::SetUp() {
  ASSERT_TRUE(MakeCheckpoint(ckpt_.path(), CheckpointArgs()));
  engine_ = std::make_unique<EngineProcess>(ckpt_.path(), "tiny", ExtraArgs());
  ASSERT_TRUE(engine_->WaitReady()) << engine_->Log();
}

nlohmann::json ChatBody(const std::string& user_text, int max_tokens, nlohmann::json extra) {
  nlohmann::json body = {{"model", "tiny"},
                         {"messages", {{{"role", "user"}, {"content", user_text}}}},
                         {"max_tokens", max_tokens},
                         {"temperature", 0}};
  body.update(extra);
  return body;
}

nlohmann::json CompletionBodyFor(const nlohmann::json& prompt, int max_tokens,
                                 nlohmann::json extra) {
  nlohmann::json body = {
      {"model", "tiny"}, {"prompt", prompt}, {"max_tokens", max_tokens}, {"temperature", 0}};
  body.update(extra);
  return body;
}

void ExpectOpenAiError(EngineProcess& engine, const EngineProcess::Reply& reply, int status,
                       const std::string& code) {
  EXPECT_EQ(reply.status, status) << reply.raw;
  ASSERT_TRUE(reply.body.is_object()) << reply.raw;
  const auto& error = reply.body["error"];
  ASSERT_TRUE(error.is_object()) << reply.raw;
  EXPECT_EQ(error["code"], code) << reply.raw;
  EXPECT_TRUE(error["message"].is_string() && !error["message"].get<std::string>().empty());
  EXPECT_TRUE(error["type"].is_string()) << reply.raw;
  EXPECT_TRUE(error.contains("param")) << reply.raw;
  EXPECT_EQ(engine.Get("/health").status, 200) << "the engine stopped serving";
}

}  // namespace hai::engine::testing
