#include "lib/accel/fake_command_runner.h"

#include <fstream>
#include <sstream>

namespace hai::accel {

std::string StripFixtureHeader(std::string text) {
  size_t start = 0;
  while (start < text.size() && text[start] == '#') {
    size_t nl = text.find('\n', start);
    start = nl == std::string::npos ? text.size() : nl + 1;
  }
  return text.substr(start);
}

void FakeCommandRunner::AddFile(const std::vector<std::string>& argv, const std::string& path) {
  answers_[JoinArgv(argv)] = Answer{path, {}, false};
}

void FakeCommandRunner::AddOutput(const std::vector<std::string>& argv, std::string stdout_text,
                                  int exit_code, std::string stderr_text) {
  answers_[JoinArgv(argv)] =
      Answer{"", CommandOutput{exit_code, std::move(stdout_text), std::move(stderr_text)}, false};
}

void FakeCommandRunner::AddTimeout(const std::vector<std::string>& argv) {
  answers_[JoinArgv(argv)] = Answer{"", {}, true};
}

Result<CommandOutput> FakeCommandRunner::Run(const std::vector<std::string>& argv,
                                             std::chrono::milliseconds timeout) {
  if (argv.empty()) return Status::InvalidArgument("nothing to run");
  std::string key = JoinArgv(argv);
  calls_.push_back(key);
  auto it = answers_.find(key);
  if (it == answers_.end()) return Status::Unavailable(argv[0] + " not found");
  const Answer& answer = it->second;
  if (answer.timeout)
    return Status::Unavailable(key + " timed out after " + std::to_string(timeout.count()) + " ms");
  if (answer.file.empty()) return answer.output;
  std::ifstream in(answer.file, std::ios::binary);
  if (!in) return Status::Internal("fake runner: cannot read fixture " + answer.file);
  std::ostringstream text;
  text << in.rdbuf();
  return CommandOutput{0, StripFixtureHeader(text.str()), ""};
}

}  // namespace hai::accel
