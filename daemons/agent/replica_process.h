#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "daemons/agent/engine_log.h"
#include "lib/base/status.h"
#include "lib/engine_profile/launch.h"
#include "lib/proc/child.h"

namespace hai::agent {

// How an engine process ended.
struct ProcessExit {
  std::optional<int> exit_code;
  std::optional<int> signal;
  // "exited with code 1", "killed by signal 9"
  std::string Describe() const;
};

// One running engine: its process group, the pump that drains its stdout and
// stderr into the replica's log, and the pid file that lets a restarted agent
// find it (see leftover_engines.h). Start, Poll and Stop from one thread, the
// one that must outlive the process (the parent-death signal follows the
// spawning thread).
class ReplicaProcess {
 public:
  // Writes spec.files, then spawns spec.argv in spec.working_dir as the
  // leader of a new process group with spec.env on top of ours. The engine
  // gets `death_signal` if the agent dies.
  static Result<std::unique_ptr<ReplicaProcess>> Start(const engine_profile::LaunchSpec& spec,
                                                       RotatingLog* log,
                                                       const std::string& pid_file);
  ~ReplicaProcess();  // kills what still runs (SIGKILL), joins the pump

  pid_t pid() const { return child_.pid(); }
  // The exit, once the leader has gone (the rest of its group is killed then).
  std::optional<ProcessExit> Poll();
  // SIGTERM to the group, SIGKILL after `grace`.
  ProcessExit Stop(std::chrono::milliseconds grace);

 private:
  ReplicaProcess(proc::Child child, RotatingLog* log, std::string pid_file);
  void Pump(int fd);
  ProcessExit Finish();

  proc::Child child_;
  RotatingLog* log_;
  std::string pid_file_;
  std::atomic<bool> exited_{false};
  std::thread pump_;
  std::optional<ProcessExit> exit_;
};

}  // namespace hai::agent
