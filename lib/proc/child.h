#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::proc {

struct SpawnOptions {
  // argv[0] is the program: a path, or a bare name looked up on the PATH the
  // child will have (after `env`). Executed directly, never through a shell.
  std::vector<std::string> argv;
  // KEY=VALUE entries on top of our environment; one that names a variable we
  // have replaces it. systemd's NOTIFY_SOCKET, WATCHDOG_PID and WATCHDOG_USEC
  // are ours alone and never passed on.
  std::vector<std::string> env;
  bool die_with_parent = true;  // signal the child when the spawning thread dies
  int parent_death_signal = SIGTERM;
  bool stdout_to_stderr = false;  // keep our stdout for our own output
  // The child leads a new process group, so the group (the child and whatever
  // it starts) can be signalled together.
  bool new_process_group = false;
  std::string working_dir;  // "" = ours
  // The child's stdout and stderr go to one pipe; read it from output_fd().
  bool capture_output = false;
};

// A child process we started and must reap. Not thread-safe. The destructor
// terminates a child that is still running (its whole group when it leads
// one), so none outlives its owner.
//
// PR_SET_PDEATHSIG fires when the *thread* that spawned the child ends, not
// the process: spawn from a thread that lives as long as the child should.
class Child {
 public:
  // Fails (NotFound, PermissionDenied, …) when the program cannot be executed;
  // the error names the program.
  static Result<Child> Spawn(const SpawnOptions& options);
  Child(Child&& other) noexcept;
  Child& operator=(Child&&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  // The exit status (128 + signal when killed) once it has exited; never blocks.
  std::optional<int> Poll();
  // After Poll() saw the exit: the signal that ended it, if one did.
  std::optional<int> term_signal() const { return term_signal_; }
  // SIGTERM (to the group when the child leads one), then SIGKILL after
  // `grace`; returns the exit status. Members of the group still alive once
  // the leader has exited are killed.
  int Terminate(std::chrono::milliseconds grace);
  // Sends `sig` to the child, or to its whole group when it leads one.
  void Signal(int sig);
  // The read end of the output pipe (capture_output), owned by the Child and
  // closed with it; -1 when not captured or after TakeOutputFd().
  int output_fd() const { return output_fd_; }
  // Hands the read end to the caller, who must close it.
  int TakeOutputFd();

 private:
  Child(pid_t pid, bool group, int output_fd) : pid_(pid), group_(group), output_fd_(output_fd) {}
  pid_t pid_;
  bool group_ = false;
  int output_fd_ = -1;
  std::optional<int> status_;
  std::optional<int> term_signal_;
};

// The directory holding the running executable (for finding sibling programs).
std::string SelfDirectory();

// Where `name` is found on `path_env` (a PATH value: directories separated by
// ':'); a name with a '/' is returned as it is. NotFound names the program.
Result<std::string> FindProgram(const std::string& name, const std::string& path_env);

}  // namespace hai::proc
