#pragma once

#include <map>
#include <string>
#include <vector>

#include "lib/accel/command_runner.h"

namespace hai::accel {

// A fixture file's text without its leading `#` comment lines (where each
// fixture names the reference section it follows).
std::string StripFixtureHeader(std::string text);

// Test double for CommandRunner: answers each exact argv with a recorded
// output file (its `#` header stripped) or text. An argv nobody recorded behaves like a tool that
// is not installed: kUnavailable "<argv[0]> not found". Not thread-safe.
class FakeCommandRunner final : public CommandRunner {
 public:
  // Answers `argv` with the contents of `path` on stdout and exit code 0.
  void AddFile(const std::vector<std::string>& argv, const std::string& path);
  void AddOutput(const std::vector<std::string>& argv, std::string stdout_text, int exit_code = 0,
                 std::string stderr_text = {});
  // Answers `argv` as if it ran past its timeout.
  void AddTimeout(const std::vector<std::string>& argv);

  Result<CommandOutput> Run(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout) override;

  // Every argv asked for, in order, joined with spaces.
  const std::vector<std::string>& calls() const { return calls_; }

 private:
  struct Answer {
    std::string file;  // read at Run() time when set
    CommandOutput output;
    bool timeout = false;
  };
  std::map<std::string, Answer> answers_;
  std::vector<std::string> calls_;
};

}  // namespace hai::accel
