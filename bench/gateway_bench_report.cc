#include "bench/gateway_bench_report.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

namespace hai::bench {

Percentiles Summarise(std::vector<double>* values) {
  Percentiles p;
  std::vector<double>& v = *values;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
  };
  p.count = v.size();
  p.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.p999 = at(0.999);
  p.max = v.back();
  return p;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  if (!(in >> a >> b >> c)) return "unknown";
  return a + " " + b + " " + c;
}

ProcessSample ReadProcess(pid_t pid) {
  ProcessSample m;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    int64_t value = 0;
    fields >> key >> value;
    if (key == "VmRSS:") m.rss_kib = value;
    if (key == "Threads:") m.threads = value;
  }
  // /proc/<pid>/stat: "pid (comm) state …", utime and stime the 14th and
  // 15th fields; comm may hold spaces, so count from the last ')'.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(text.substr(close + 1));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
      if (i >= 14) ticks += std::stod(field);
    m.cpu_s = ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  return m;
}

int64_t ListenOverflows() {
  std::ifstream in("/proc/net/netstat");
  std::string names, values;
  while (std::getline(in, names) && std::getline(in, values)) {
    if (!names.starts_with("TcpExt:")) continue;
    std::istringstream n(names), v(values);
    std::string name, value;
    while (n >> name && v >> value)
      if (name == "ListenOverflows") return std::stoll(value);
  }
  return -1;
}

pid_t FindProcess(const std::vector<std::string>& words) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (std::all_of(words.begin(), words.end(),
                    [&](const std::string& w) { return cmdline.find(w) != std::string::npos; }))
      return static_cast<pid_t>(std::stol(name));
  }
  return -1;
}

void PrintLatencyHeader() {
  std::printf("  %-34s %8s %8s %8s %8s %8s %8s\n", "", "count", "p50 ms", "p90 ms", "p99 ms",
              "p99.9 ms", "max ms");
}

void PrintLatencyRow(const std::string& label, const Percentiles& p) {
  std::printf("  %-34s %8zu %8.3f %8.3f %8.3f %8.3f %8.3f\n", label.c_str(), p.count, p.p50, p.p90,
              p.p99, p.p999, p.max);
}

}  // namespace hai::bench
