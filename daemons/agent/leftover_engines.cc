#include "daemons/agent/leftover_engines.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "lib/log/log.h"

namespace hai::agent {
namespace {

// The members of group `pgid` that belong to the engine recorded with
// (`pgid`, `start_ticks`); empty when the number now means someone else.
std::vector<proc::ProcessInfo> OurMembers(pid_t pgid, uint64_t start_ticks,
                                          const proc::ProcTable& table) {
  std::vector<proc::ProcessInfo> members;
  auto leader = table.Read(pgid);
  if (leader.ok() && leader->start_ticks != start_ticks) return members;  // pid reused
  for (proc::ProcessInfo& p : table.InGroup(pgid))
    if (p.state != 'Z' && p.start_ticks >= start_ticks) members.push_back(std::move(p));
  // An engine that moved itself to another group (setsid) is still the leader we recorded.
  if (leader.ok() && leader->pgid != pgid && leader->state != 'Z') members.push_back(*leader);
  return members;
}

}  // namespace

Status WritePidFile(const std::string& path, pid_t pid, const proc::ProcTable& table) {
  HAI_ASSIGN_OR_RETURN(proc::ProcessInfo info, table.Read(pid));
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << pid << " " << info.start_ticks << "\n";
    if (!out.flush()) return Status::Unavailable("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::Unavailable("cannot write " + path + ": " + ec.message());
  return Status::Ok();
}

int KillLeftoverEngines(const std::string& replicas_dir, const proc::ProcTable& table) {
  std::error_code ec;
  if (!std::filesystem::is_directory(replicas_dir, ec)) return 0;
  int killed = 0;
  std::vector<std::filesystem::path> dirs;
  for (const auto& entry : std::filesystem::directory_iterator(replicas_dir, ec))
    if (entry.is_directory(ec)) dirs.push_back(entry.path());
  for (const auto& dir : dirs) {
    std::ifstream in(dir / "engine.pid");
    long pid = 0;
    uint64_t start = 0;
    if (in >> pid >> start && pid > 1) {
      auto members = OurMembers(static_cast<pid_t>(pid), start, table);
      for (const proc::ProcessInfo& p : members) {
        if (kill(p.pid, SIGKILL) == 0) ++killed;
        log::Warn("killed an engine process left by a previous run",
                  {{"replica", dir.filename().string()}, {"pid", p.pid}});
      }
      // Bounded wait until they are gone, so their ports and devices are free.
      for (int i = 0; i < 100 && !OurMembers(static_cast<pid_t>(pid), start, table).empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::filesystem::remove_all(dir, ec);
    if (ec)
      log::Warn("cannot remove a replica directory",
                {{"path", dir.string()}, {"error", ec.message()}});
  }
  return killed;
}

}  // namespace hai::agent
