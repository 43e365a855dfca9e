#pragma once

// For the agent's tests that start real processes: bounded waits, whether a
// process still runs, and reading the files they write.

#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "lib/proc/proc_table.h"

namespace hai::agent::testing {

// Polls `done` every 50 ms for at most `limit`.
inline bool WaitFor(const std::function<bool()>& done,
                    std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// Alive and not a zombie waiting to be reaped.
inline bool Running(pid_t pid) {
  auto p = proc::ProcTable().Read(pid);
  return p.ok() && p->state != 'Z';
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace hai::agent::testing
