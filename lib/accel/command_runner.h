#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::accel {

// What a finished vendor tool printed. (`stdout`/`stderr` are macros, hence
// the longer member names.)
struct CommandOutput {
  int exit_code = 0;  // 128 + signal when the tool died of a signal
  std::string stdout_text;
  std::string stderr_text;
};

// The process-running seam: adapters ask it to run vendor tools, tests hand
// them a FakeCommandRunner with recorded outputs.
//
// Run() returns an error only when the tool could not run to completion:
// kUnavailable "<tool> not found" when it is not installed, kUnavailable
// "... timed out" when it had to be killed. A tool that ran and failed is an OK
// result with a non-zero exit_code; the caller decides what that means.
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual Result<CommandOutput> Run(const std::vector<std::string>& argv,
                                    std::chrono::milliseconds timeout) = 0;
};

// Runs real programs with fork/exec, capturing stdout and stderr, and kills
// them (SIGKILL) at the timeout. A bare argv[0] is looked up in $PATH (or
// `search_path`, when given). Stateless, so safe to share between threads.
class SubprocessRunner final : public CommandRunner {
 public:
  // Output beyond this many bytes per stream is dropped (a runaway tool must
  // not fill the agent's memory).
  static constexpr size_t kMaxCaptureBytes = 8 << 20;

  SubprocessRunner() = default;
  explicit SubprocessRunner(std::string search_path) : search_path_(std::move(search_path)) {}

  Result<CommandOutput> Run(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout) override;
  // The same with `input` on the tool's standard input (then closed), for
  // tools that read what to do there (nft -f -, chpasswd).
  Result<CommandOutput> RunWithInput(const std::vector<std::string>& argv, const std::string& input,
                                     std::chrono::milliseconds timeout);

 private:
  std::string search_path_;  // "" = the PATH environment variable
};

// An error that says a tool failed, with the first line of what it said.
Status ToolFailed(const std::vector<std::string>& argv, const CommandOutput& out);

// Runs `argv` and returns its stdout; a non-zero exit is ToolFailed().
Result<std::string> RunForStdout(CommandRunner& runner, const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout);

// "npu-smi info -t board -i 0", for messages and the fake's keys.
std::string JoinArgv(const std::vector<std::string>& argv);

}  // namespace hai::accel
