#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::proc {

// One process as /proc/<pid>/stat and cmdline describe it.
struct ProcessInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  char state = '?';                  // R, S, D, Z, T, …
  std::string comm;                  // the kernel's short name
  std::vector<std::string> cmdline;  // empty for kernel threads and zombies
  uint64_t start_ticks = 0;          // start time, clock ticks after boot
  int64_t rss_bytes = 0;
};

// Reads the process table under `root` ("/proc"; tests pass a recorded
// tree). Stateless apart from the root; safe from any thread.
class ProcTable {
 public:
  explicit ProcTable(std::string root = "/proc") : root_(std::move(root)) {}

  // NotFound once the process has gone.
  Result<ProcessInfo> Read(pid_t pid) const;
  // Every process whose process group is `pgid`, by pid.
  std::vector<ProcessInfo> InGroup(pid_t pgid) const;
  // Seconds the process has run, from its start time and the system uptime.
  Result<double> AgeSeconds(const ProcessInfo& p) const;

 private:
  std::string root_;
};

// Parses the text of /proc/<pid>/stat; InvalidArgument when it is malformed.
Result<ProcessInfo> ParseStat(const std::string& text);

// A short description of a state letter: "running", "sleeping", …
std::string StateName(char state);

}  // namespace hai::proc
