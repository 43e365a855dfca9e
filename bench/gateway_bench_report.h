#pragma once

// gateway_bench's figures: percentiles, the machine's load and a process's
// memory, and the table lines the bench prints.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hai::bench {

struct Percentiles {
  size_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};
// Nearest-rank percentiles of `values` (sorted in place).
Percentiles Summarise(std::vector<double>* values);

// /proc/loadavg's 1-, 5- and 15-minute averages, "0.52 0.61 0.70".
std::string LoadAverage();

struct ProcessSample {
  int64_t rss_kib = -1;  // VmRSS from /proc/<pid>/status; -1 when gone
  int64_t threads = -1;
  double cpu_s = 0;  // user + system time so far, from /proc/<pid>/stat
};
ProcessSample ReadProcess(pid_t pid);

// TcpExt ListenOverflows from /proc/net/netstat: connections this machine's
// listening sockets dropped because their accept queue was full (all
// processes; a dropped SYN is retried by the client after 1 s, then 3 s).
int64_t ListenOverflows();

// The pid of a process whose command line holds every one of `words`, or -1.
pid_t FindProcess(const std::vector<std::string>& words);

// "  label  count  p50 p90 p99 p99.9 max" in milliseconds.
void PrintLatencyHeader();
void PrintLatencyRow(const std::string& label, const Percentiles& p);

}  // namespace hai::bench
