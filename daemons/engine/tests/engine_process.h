#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/http/client.h"
#include "lib/proc/child.h"

namespace hai::engine::testing {

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs the real `hai-model init --out DIR <args>`; true when it succeeded.
bool MakeCheckpoint(const std::string& dir, const std::vector<std::string>& args);
// A small Qwen2 decoder (context 160) and a small BERT encoder (context 64).
std::vector<std::string> TinyDecoderArgs();
std::vector<std::string> TinyEncoderArgs(int num_labels);

// A real hai-engine process on a free loopback port. Its stderr goes to a
// log file that failures print.
class EngineProcess {
 public:
  EngineProcess(const std::string& model_dir, const std::string& served_name,
                const std::vector<std::string>& extra_args = {});
  ~EngineProcess();

  // Waits (bounded) until the engine is serving or has exited.
  bool WaitReady();
  // Waits (bounded) for the process to exit; its status, or -1.
  int WaitExit();
  int Terminate();  // SIGTERM; the exit status
  int port() const { return port_; }
  std::string Log() const;

  struct Reply {
    int status = 0;
    nlohmann::json body;  // null when not JSON
    std::string raw;
  };
  Reply Get(const std::string& path);
  Reply Post(const std::string& path, const nlohmann::json& body);
  Reply PostRaw(const std::string& path, const std::string& body);
  // A metric's value from /metrics for model_name=<served name> and then
  // `more_labels` (e.g. `finished_reason="abort"`); NaN when absent.
  double Metric(const std::string& name, const std::string& more_labels = "");

 private:
  Reply Send(const std::string& method, const std::string& path, const std::string& body);
  TempDir dir_;
  std::string served_name_;
  std::unique_ptr<proc::Child> child_;
  int port_ = 0;
};

std::string BinDir();

// A tiny decoder checkpoint and an engine serving it as "tiny".
class DecoderEngineTest : public ::testing::Test {
 protected:
  void SetUp() override;
  virtual std::vector<std::string> CheckpointArgs() const { return TinyDecoderArgs(); }
  virtual std::vector<std::string> ExtraArgs() const { return {}; }
  EngineProcess& engine() { return *engine_; }

  TempDir ckpt_;
  std::unique_ptr<EngineProcess> engine_;
};

// A chat request body for the tiny model.
nlohmann::json ChatBody(const std::string& user_text, int max_tokens,
                        nlohmann::json extra = nlohmann::json::object());
nlohmann::json CompletionBodyFor(const nlohmann::json& prompt, int max_tokens,
                                 nlohmann::json extra = nlohmann::json::object());
// Expects an OpenAI-shaped 400 with `code` and the engine still healthy.
void ExpectOpenAiError(EngineProcess& engine, const EngineProcess::Reply& reply, int status,
                       const std::string& code);

}  // namespace hai::engine::testing
