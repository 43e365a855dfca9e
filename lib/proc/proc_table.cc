#include "lib/proc/proc_table.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace hai::proc {
namespace {

bool ReadWhole(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

std::vector<std::string> SplitNul(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

Result<ProcessInfo> ParseStat(const std::string& text) {
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so
  // it ends at the last ')'.
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return Status::InvalidArgument("malformed stat line");
  ProcessInfo p;
  try {
    p.pid = static_cast<pid_t>(std::stol(text.substr(0, open)));
  } catch (const std::exception&) {
    return Status::InvalidArgument("malformed stat line: pid");
  }
  p.comm = text.substr(open + 1, close - open - 1);
  std::istringstream rest(text.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  // Field numbers as in proc(5): the state is field 3, here index 0.
  if (fields.size() < 22 || fields[0].size() != 1)
    return Status::InvalidArgument("malformed stat line: too few fields");
  try {
    p.state = fields[0][0];
    p.ppid = static_cast<pid_t>(std::stol(fields[1]));
    p.pgid = static_cast<pid_t>(std::stol(fields[2]));
    p.start_ticks = std::stoull(fields[19]);
    p.rss_bytes = std::stoll(fields[21]) * sysconf(_SC_PAGESIZE);
  } catch (const std::exception&) {
    return Status::InvalidArgument("malformed stat line: numbers");
  }
  return p;
}

Result<ProcessInfo> ProcTable::Read(pid_t pid) const {
  std::string dir = root_ + "/" + std::to_string(pid);
  std::string stat;
  if (!ReadWhole(dir + "/stat", &stat) || stat.empty())
    return Status::NotFound("no process " + std::to_string(pid));
  HAI_ASSIGN_OR_RETURN(ProcessInfo p, ParseStat(stat));
  std::string cmdline;
  if (ReadWhole(dir + "/cmdline", &cmdline)) p.cmdline = SplitNul(cmdline);
  return p;
}

std::vector<ProcessInfo> ProcTable::InGroup(pid_t pgid) const {
  std::vector<ProcessInfo> out;
  DIR* d = opendir(root_.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.empty() ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    auto p = Read(static_cast<pid_t>(std::stol(name)));
    if (p.ok() && p->pgid == pgid) out.push_back(std::move(*p));
  }
  closedir(d);
  std::sort(out.begin(), out.end(),
            [](const ProcessInfo& a, const ProcessInfo& b) { return a.pid < b.pid; });
  return out;
}

Result<double> ProcTable::AgeSeconds(const ProcessInfo& p) const {
  std::string uptime;
  if (!ReadWhole(root_ + "/uptime", &uptime)) return Status::NotFound("no " + root_ + "/uptime");
  double up = 0;
  try {
    up = std::stod(uptime);
  } catch (const std::exception&) {
    return Status::InvalidArgument("malformed " + root_ + "/uptime");
  }
  double started = static_cast<double>(p.start_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return std::max(0.0, up - started);
}

std::string StateName(char state) {
  switch (state) {
    case 'R':
      return "running";
    case 'S':
      return "sleeping";
    case 'D':
      return "disk-sleep";
    case 'Z':
      return "zombie";
    case 'T':
      return "stopped";
    case 't':
      return "tracing-stop";
    case 'I':
      return "idle";
    case 'X':
      return "dead";
    default:
      return std::string("unknown (") + state + ")";
  }
}

}  // namespace hai::proc
