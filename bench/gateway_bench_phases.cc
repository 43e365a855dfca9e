#include "bench/gateway_bench_phases.h"

#include <algorithm>
#include <cstdio>

namespace hai::bench {
namespace {

void Merge(LatencyFigures* into, LatencyFigures&& from) {
  into->scheduled += from.scheduled;
  into->ok += from.ok;
  into->failed += from.failed;
  into->unanswered += from.unanswered;
  into->connections = std::max(into->connections, from.connections);
  into->latency_ms.insert(into->latency_ms.end(), from.latency_ms.begin(), from.latency_ms.end());
  into->send_lag_ms.insert(into->send_lag_ms.end(), from.send_lag_ms.begin(),
                           from.send_lag_ms.end());
  if (into->first_error.empty()) into->first_error = from.first_error;
}

void Merge(ThroughputFigures* into, ThroughputFigures&& from) {
  into->ok += from.ok;
  into->failed += from.failed;
  into->seconds += from.seconds;
  into->latency_ms.insert(into->latency_ms.end(), from.latency_ms.begin(), from.latency_ms.end());
  if (into->first_error.empty()) into->first_error = from.first_error;
}

// Round r runs direct first when r is even: direct, gateway | gateway, direct | …
bool GatewayFirst(int round) { return round % 2 == 1; }

const char* ErrorNote(const std::string& error) { return error.empty() ? "" : "; first error: "; }

double CpuOf(pid_t pid) { return pid > 0 ? ReadProcess(pid).cpu_s : 0; }

void PrintCpu(const GatewayCpu& cpu) {
  if (cpu.answers > 0 && cpu.seconds > 0)
    std::printf("  hai-gateway CPU: %.0f us per request (%.2f CPU-s over %lld answers)\n",
                cpu.MicrosPerAnswer(), cpu.seconds, static_cast<long long>(cpu.answers));
}

}  // namespace

void PrintAdded(const Percentiles& direct, const Percentiles& gateway) {
  std::printf("  %-34s %8s %8.3f %8.3f %8.3f %8.3f %8s\n", "added (gateway - direct)", "",
              gateway.p50 - direct.p50, gateway.p90 - direct.p90, gateway.p99 - direct.p99,
              gateway.p999 - direct.p999, "");
}

void PrintMachine(int64_t* overflows_since) {
  const int64_t now = ListenOverflows();
  std::printf("  load average %s; listen-queue overflows on the machine meanwhile: %lld\n",
              LoadAverage().c_str(), static_cast<long long>(now - *overflows_since));
  *overflows_since = now;
}

Result<LatencyResult> AddedLatency(const std::string& title, const Target& direct,
                                   const Target& gateway, double rate, const PhaseOptions& o) {
  OpenLoopOptions slice;
  slice.rate = rate;
  slice.seconds = o.seconds / o.rounds;
  slice.warmup_s = o.warmup_s;
  slice.max_connections = o.connections;
  std::printf(
      "\n%s: open loop %.0f req/s, %.1f s per target in %d alternating slices (each after "
      "%.1f s warm-up), at most %d connections\n",
      title.c_str(), rate, o.seconds, o.rounds, o.warmup_s, o.connections);
  LatencyFigures figures[2];  // direct, gateway
  LatencyResult out;
  out.rate = rate;
  for (int round = 0; round < o.rounds; ++round) {
    for (int i = 0; i < 2; ++i) {
      const bool through_gateway = (i == 1) != GatewayFirst(round);
      const double cpu = CpuOf(o.gateway_pid);
      HAI_ASSIGN_OR_RETURN(LatencyFigures r,
                           RunOpenLoop(through_gateway ? gateway : direct, slice));
      if (through_gateway) {
        out.cpu.seconds += CpuOf(o.gateway_pid) - cpu;
        out.cpu.answers += r.answers;
      }
      Merge(&figures[through_gateway ? 1 : 0], std::move(r));
    }
  }
  PrintLatencyHeader();
  for (int i = 0; i < 2; ++i) {
    LatencyFigures& r = figures[i];
    Percentiles p = Summarise(&r.latency_ms);
    Percentiles lag = Summarise(&r.send_lag_ms);
    PrintLatencyRow(i == 1 ? "through hai-gateway" : "direct", p);
    std::printf(
        "  %-34s ok %lld, failed %lld, unanswered %lld, %d connections, send lag p99 "
        "%.3f ms%s%s\n",
        "", static_cast<long long>(r.ok), static_cast<long long>(r.failed),
        static_cast<long long>(r.unanswered), r.connections, lag.p99, ErrorNote(r.first_error),
        r.first_error.c_str());
    (i == 1 ? out.gateway : out.direct) = p;
  }
  PrintAdded(out.direct, out.gateway);
  PrintCpu(out.cpu);
  return out;
}

Result<ThroughputResult> MostRequests(const std::string& title, const Target& direct,
                                      const Target& gateway, const PhaseOptions& o) {
  ClosedLoopOptions slice;
  slice.connections = o.connections;
  slice.seconds = o.seconds / o.rounds;
  slice.warmup_s = o.warmup_s;
  std::printf("\n%s: closed loop, %d connections, %.1f s per target in %d alternating slices\n",
              title.c_str(), o.connections, o.seconds, o.rounds);
  ThroughputFigures figures[2];
  ThroughputResult out;
  for (int round = 0; round < o.rounds; ++round) {
    for (int i = 0; i < 2; ++i) {
      const bool through_gateway = (i == 1) != GatewayFirst(round);
      const double cpu = CpuOf(o.gateway_pid);
      HAI_ASSIGN_OR_RETURN(ThroughputFigures r,
                           RunClosedLoop(through_gateway ? gateway : direct, slice));
      if (through_gateway) {
        out.cpu.seconds += CpuOf(o.gateway_pid) - cpu;
        out.cpu.answers += r.answers;
      }
      Merge(&figures[through_gateway ? 1 : 0], std::move(r));
    }
  }
  PrintLatencyHeader();
  for (int i = 0; i < 2; ++i) {
    ThroughputFigures& r = figures[i];
    const double per_second = r.seconds > 0 ? static_cast<double>(r.ok) / r.seconds : 0;
    Percentiles p = Summarise(&r.latency_ms);
    PrintLatencyRow(i == 1 ? "through hai-gateway" : "direct", p);
    std::printf("  %-34s %.0f req/s, failed %lld%s%s\n", "", per_second,
                static_cast<long long>(r.failed), ErrorNote(r.first_error), r.first_error.c_str());
    (i == 1 ? out.gateway : out.direct) = per_second;
  }
  std::printf("  gateway / direct: %.3f\n", out.direct > 0 ? out.gateway / out.direct : 0.0);
  PrintCpu(out.cpu);
  return out;
}

Result<StreamResult> Streams(const std::string& label, const Target& target, pid_t watch,
                             const StreamOptions& options) {
  StreamOptions o = options;
  StreamResult out;
  if (watch > 0) {
    out.before = ReadProcess(watch);
    o.sample = [&](int) {
      ProcessSample m = ReadProcess(watch);
      out.peak.rss_kib = std::max(out.peak.rss_kib, m.rss_kib);
      out.peak.threads = std::max(out.peak.threads, m.threads);
    };
  }
  const double cpu = CpuOf(watch);
  HAI_ASSIGN_OR_RETURN(out.figures, RunStreams(target, o));
  out.watch_cpu_s = CpuOf(watch) - cpu;
  out.delay = Summarise(&out.figures.token_delay_ms);
  out.ttft = Summarise(&out.figures.ttft_ms);
  const StreamFigures& s = out.figures;
  PrintLatencyRow(label + ": token delay", out.delay);
  PrintLatencyRow(label + ": first token", out.ttft);
  std::printf("  %-34s completed %d of %d, failed %d, unfinished %d, peak open %d, %.1f s%s%s\n",
              "", s.completed, o.streams, s.failed, s.unfinished, s.peak_open, s.seconds,
              ErrorNote(s.first_error), s.first_error.c_str());
  if (watch > 0)
    std::printf(
        "  %-34s hai-gateway RSS %.1f MiB before, %.1f MiB peak; threads %lld, peak %lld; "
        "%.1f CPU-s\n",
        "", static_cast<double>(out.before.rss_kib) / 1024,
        static_cast<double>(out.peak.rss_kib) / 1024, static_cast<long long>(out.before.threads),
        static_cast<long long>(out.peak.threads), out.watch_cpu_s);
  return out;
}

}  // namespace hai::bench
