#pragma once

// gateway_bench's measurements, each against a direct target and the same
// upstream through hai-gateway, with the same load generator; each prints
// its table and returns the figures for the summary.

#include <sys/types.h>

#include <string>

#include "bench/gateway_bench_load.h"
#include "bench/gateway_bench_report.h"
#include "lib/base/status.h"

namespace hai::bench {

// The machine is shared: direct and gateway runs alternate (direct,
// gateway, gateway, direct, …) in `rounds` slices, so that a burst of
// somebody else's work lands on both alike.
struct PhaseOptions {
  double seconds = 10;    // measured, per target, over all rounds
  double warmup_s = 0.5;  // before each slice, not counted
  int rounds = 4;
  int connections = 64;
  pid_t gateway_pid = -1;  // its CPU time is counted around the gateway's slices
};

// hai-gateway's CPU time per answer over its slices (warm-ups included).
struct GatewayCpu {
  double seconds = 0;
  int64_t answers = 0;
  double MicrosPerAnswer() const { return answers > 0 ? seconds * 1e6 / answers : 0; }
};

struct LatencyResult {
  double rate = 0;
  Percentiles direct, gateway;
  GatewayCpu cpu;
};
// Open loop at `rate` (latency from the scheduled send time).
Result<LatencyResult> AddedLatency(const std::string& title, const Target& direct,
                                   const Target& gateway, double rate, const PhaseOptions& o);

struct ThroughputResult {
  double direct = 0, gateway = 0;  // req/s
  GatewayCpu cpu;
};
// Closed loop on `o.connections` connections.
Result<ThroughputResult> MostRequests(const std::string& title, const Target& direct,
                                      const Target& gateway, const PhaseOptions& o);

struct StreamResult {
  StreamFigures figures;
  Percentiles delay, ttft;
  ProcessSample before, peak;  // of `watch`
  double watch_cpu_s = 0;      // CPU time `watch` used during the run
};
// One stream run against `target`, sampling the memory of `watch` (> 0).
Result<StreamResult> Streams(const std::string& label, const Target& target, pid_t watch,
                             const StreamOptions& options);

// "  added (gateway - direct)" row of a latency table.
void PrintAdded(const Percentiles& direct, const Percentiles& gateway);
// The load average and the machine's listen-queue overflows since `*since`
// (then updated).
void PrintMachine(int64_t* overflows_since);

}  // namespace hai::bench
