#pragma once

#include <sys/types.h>

#include <string>

#include "lib/base/status.h"
#include "lib/proc/proc_table.h"

namespace hai::agent {

// Engines die with their agent (parent-death signal; under systemd also
// KillMode=control-group), but a worker an engine started in its own process
// group survives the first, and a failed stop can leave anything. So every
// engine's group leader is recorded in <work_dir>/engine.pid as
// "<pid> <start time in clock ticks>", and a starting agent kills whatever of
// those groups still runs before it serves (docs/agent.md, "Agent restart").

// Records `pid` with its start time read from /proc.
Status WritePidFile(const std::string& path, pid_t pid,
                    const proc::ProcTable& table = proc::ProcTable());

// Kills (SIGKILL) every process of the groups recorded in
// <replicas_dir>/*/engine.pid that are provably ours, then removes those
// replica directories: nothing of a previous run stays. A pid the kernel has
// since given to another process is never touched: the leader must have the
// recorded start time, or, when the leader is gone, a member must have
// started after it. Returns how many processes it killed.
int KillLeftoverEngines(const std::string& replicas_dir,
                        const proc::ProcTable& table = proc::ProcTable());

}  // namespace hai::agent
