#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::proc {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the program path
  std::vector<std::string> env;   // extra KEY=VALUE entries on top of ours
  bool die_with_parent = true;    // SIGTERM the child if we die first
  bool stdout_to_stderr = false;  // keep our stdout for our own output
};

// A child process we started and must reap. Not thread-safe. The destructor
// terminates a child that is still running, so none outlives its owner.
class Child {
 public:
  static Result<Child> Spawn(const SpawnOptions& options);
  Child(Child&& other) noexcept;
  Child& operator=(Child&&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  // The exit status (128 + signal when killed) once it has exited; never blocks.
  std::optional<int> Poll();
  // SIGTERM, then SIGKILL after `grace`; returns the exit status.
  int Terminate(std::chrono::milliseconds grace);

 private:
  explicit Child(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  std::optional<int> status_;
};

// The directory holding the running executable (for finding sibling programs).
std::string SelfDirectory();

}  // namespace hai::proc
