// gateway_bench: what hai-gateway adds, measured on the real process started
// by `haictl up` (keys from hai-portal, routes from hai-scheduler), against
// direct calls to the same upstream in the same run with the same load
// generator (issue M1-5, "Benchmark"):
//   latency  added latency p50/p99 at a fixed arrival rate (default 2,000
//            req/s), non-streaming, minimal upstream (goal p50 ≤ 0.5 ms,
//            p99 ≤ 1 ms)
//   max      the most req/s, minimal upstream (closed loop)
//   engine   the same two against hai-engine (the demo model), at a rate it holds
//   streams  N concurrent SSE streams (default 5,000) through a hai-gateway
//            with a thread per stream: added delay per token, completion,
//            the gateway's memory
// The minimal upstream (gateway_bench_upstream) is deployed through the
// portal API as a replica of its own engine profile. Call-log ingest is
// measured by call_log_bench.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>

#include "bench/gateway_bench_appliance.h"
#include "bench/gateway_bench_phases.h"
#include "bench/gateway_bench_socket.h"
#include "lib/http/url.h"
#include "lib/proc/child.h"

namespace hai::bench {
namespace {

using json = nlohmann::json;

struct Flags {
  std::string bin_dir;
  std::set<std::string> phases = {"latency", "max", "engine", "streams"};
  double rate = 2000;
  PhaseOptions latency{10, 0.5, 4, 64};
  PhaseOptions max{8, 0.5, 4, 32};
  double engine_rate = 0;  // 0: half of what hai-engine holds directly, at most `rate`
  int streams = 5000;
  int tokens = 20;
  int token_interval_ms = 500;
  double ramp_s = 5;
  int gateway_threads = 0;  // 0: streams + 100
  bool default_gateway_streams = false;
  std::string log_level = "warning";
  bool quick = false;
};

std::string ChatBody(const std::string& model, bool stream, const Flags& f) {
  json body = {{"model", model},
               {"messages", {{{"role", "user"}, {"content", "hello, ward seven"}}}},
               {"max_tokens", stream ? f.tokens : 1},
               {"temperature", 0}};
  if (stream) {
    body["stream"] = true;
    body["hai_bench_token_interval_ms"] = f.token_interval_ms;
  }
  return body.dump();
}

Target At(int port, const std::string& key, const std::string& body) {
  Target t;
  t.port = port;
  t.body = body;
  t.bearer = key;
  return t;
}

// The highest thread count hai-gateway's refusal names ("… from 4 to N"), or 0.
int ThreadLimitFrom(const std::string& message) {
  std::smatch m;
  static const std::regex kRange(R"(threads: expected an integer from \d+ to (\d+))");
  return std::regex_search(message, m, kRange) ? std::stoi(m[1].str()) : 0;
}

Result<std::unique_ptr<GatewayProcess>> StreamGateway(const Appliance& appliance, int* threads) {
  auto g = GatewayProcess::Start(appliance, *threads);
  if (g.ok()) return g;
  const int limit = ThreadLimitFrom(g.status().message());
  if (limit <= 0 || limit >= *threads) return g.status();
  std::printf("  hai-gateway refused threads = %d (its limit is %d); the streams run with %d\n",
              *threads, limit, limit);
  *threads = limit;
  return GatewayProcess::Start(appliance, *threads);
}

// Everything the runs share once the appliance is up.
struct Setup {
  std::string key;
  std::string service;  // the minimal upstream's
  UpstreamReplica upstream;
  int gateway_port = 0;
  pid_t gateway_pid = -1;
};

Result<Setup> Prepare(Appliance& appliance, PortalSession& portal, const Flags& f) {
  Setup s;
  HAI_RETURN_IF_ERROR(portal.SignIn("admin", appliance.admin_password()));
  HAI_ASSIGN_OR_RETURN(int64_t org, portal.IdOf("/api/v1/orgs", "demo"));
  HAI_ASSIGN_OR_RETURN(int64_t model, portal.IdOf("/api/v1/models?q=demo", "demo"));
  HAI_ASSIGN_OR_RETURN(s.key, CreateInferenceKey(portal, org));
  s.service = "gateway-bench-" + std::to_string(::getpid());
  HAI_ASSIGN_OR_RETURN(s.upstream, DeployUpstream(portal, model, org, s.service));
  s.gateway_port = appliance.gateway_port();
  HAI_RETURN_IF_ERROR(WaitRoutable(s.gateway_port, s.key, ChatBody(s.service, false, f)));
  s.gateway_pid = appliance.gateway_pid();
  std::printf("minimal upstream: service %s, replica on port %d; haictl up's hai-gateway pid %d\n",
              s.service.c_str(), s.upstream.port, s.gateway_pid);
  return s;
}

struct Results {
  std::optional<LatencyResult> latency, engine_latency;
  std::optional<ThroughputResult> most, engine_most;
  std::optional<StreamResult> direct_streams, gateway_streams, default_streams;
  int stream_threads = 0;
};

Status RunEngine(const Appliance& appliance, const Setup& s, const Flags& f, Results* out,
                 int64_t* overflows) {
  auto engine_url = http::ParseHttpUrl(appliance.engine_url(), "engine");
  if (!engine_url.ok()) {
    std::printf("\nhai-engine: skipped, haictl up reported no demo engine\n");
    return Status::Ok();
  }
  const std::string body = ChatBody("demo", false, f);
  HAI_RETURN_IF_ERROR(WaitRoutable(s.gateway_port, s.key, body));
  const Target direct = At(engine_url->port, "", body), gateway = At(s.gateway_port, s.key, body);
  PhaseOptions max = f.max;
  max.connections = std::min(max.connections, 16);  // hai-engine batches 32 sequences
  max.gateway_pid = s.gateway_pid;
  HAI_ASSIGN_OR_RETURN(
      out->engine_most,
      MostRequests("Most req/s, hai-engine (demo model, max_tokens 1)", direct, gateway, max));
  PrintMachine(overflows);
  const double rate = f.engine_rate > 0
                          ? f.engine_rate
                          : std::min(f.rate, std::max(1.0, out->engine_most->direct / 2));
  PhaseOptions latency = f.latency;
  latency.connections = max.connections;
  latency.gateway_pid = s.gateway_pid;
  HAI_ASSIGN_OR_RETURN(out->engine_latency, AddedLatency("Added latency, hai-engine, non-streaming",
                                                         direct, gateway, rate, latency));
  PrintMachine(overflows);
  return Status::Ok();
}

Status RunStreams(const Appliance& appliance, const Setup& s, const Flags& f, Results* out,
                  int64_t* overflows) {
  StreamOptions o;
  o.streams = f.streams;
  o.expected_tokens = f.tokens;
  o.ramp_s = f.ramp_s;
  o.timeout_s = f.ramp_s + (f.tokens - 1) * f.token_interval_ms / 1000.0 + 60;
  std::printf(
      "\n%d concurrent SSE streams, %d tokens %d ms apart, started over %.1f s (at most "
      "%.0f s)\n",
      f.streams, f.tokens, f.token_interval_ms, f.ramp_s, o.timeout_s);
  out->stream_threads = f.gateway_threads > 0 ? f.gateway_threads : f.streams + 100;
  HAI_ASSIGN_OR_RETURN(std::unique_ptr<GatewayProcess> gateway,
                       StreamGateway(appliance, &out->stream_threads));
  const std::string body = ChatBody(s.service, true, f);
  HAI_RETURN_IF_ERROR(WaitRoutable(gateway->port(), s.key, ChatBody(s.service, false, f)));
  std::printf("  a second hai-gateway with threads = %d (pid %d)\n", out->stream_threads,
              gateway->pid());
  PrintLatencyHeader();
  HAI_ASSIGN_OR_RETURN(out->direct_streams,
                       Streams("direct", At(s.upstream.port, "", body), -1, o));
  HAI_ASSIGN_OR_RETURN(
      out->gateway_streams,
      Streams("through hai-gateway", At(gateway->port(), s.key, body), gateway->pid(), o));
  PrintAdded(out->direct_streams->delay, out->gateway_streams->delay);
  PrintMachine(overflows);
  gateway.reset();
  if (f.default_gateway_streams) {
    std::printf("\nThe same streams through haictl up's hai-gateway (its default threads)\n");
    PrintLatencyHeader();
    HAI_ASSIGN_OR_RETURN(
        out->default_streams,
        Streams("default hai-gateway", At(s.gateway_port, s.key, body), s.gateway_pid, o));
    PrintMachine(overflows);
  }
  return Status::Ok();
}

void PrintSummary(const Results& r, const Flags& f) {
  std::printf("\nSummary (added = through hai-gateway - direct; same run, same load generator)\n");
  if (r.latency)
    std::printf(
        "  minimal upstream, %.0f req/s: added p50 %.3f ms (goal <= 0.5), p99 %.3f ms "
        "(goal <= 1); hai-gateway CPU %.0f us per request\n",
        r.latency->rate, r.latency->gateway.p50 - r.latency->direct.p50,
        r.latency->gateway.p99 - r.latency->direct.p99, r.latency->cpu.MicrosPerAnswer());
  if (r.most)
    std::printf(
        "  minimal upstream, most req/s: direct %.0f, through hai-gateway %.0f (%.3f); "
        "hai-gateway CPU %.0f us per request\n",
        r.most->direct, r.most->gateway,
        r.most->direct > 0 ? r.most->gateway / r.most->direct : 0.0, r.most->cpu.MicrosPerAnswer());
  if (r.engine_latency)
    std::printf("  hai-engine, %.0f req/s: added p50 %.3f ms, p99 %.3f ms\n",
                r.engine_latency->rate,
                r.engine_latency->gateway.p50 - r.engine_latency->direct.p50,
                r.engine_latency->gateway.p99 - r.engine_latency->direct.p99);
  if (r.engine_most)
    std::printf("  hai-engine, most req/s: direct %.0f, through hai-gateway %.0f (%.3f)\n",
                r.engine_most->direct, r.engine_most->gateway,
                r.engine_most->direct > 0 ? r.engine_most->gateway / r.engine_most->direct : 0.0);
  if (r.gateway_streams && r.direct_streams) {
    const StreamResult& g = *r.gateway_streams;
    std::printf(
        "  %d streams, hai-gateway threads = %d: %d completed (direct %d); added delay per "
        "token p50 %.3f ms, p99 %.3f ms; gateway RSS %.1f MiB before, %.1f MiB peak; "
        "%.1f CPU-s\n",
        f.streams, r.stream_threads, g.figures.completed, r.direct_streams->figures.completed,
        g.delay.p50 - r.direct_streams->delay.p50, g.delay.p99 - r.direct_streams->delay.p99,
        static_cast<double>(g.before.rss_kib) / 1024, static_cast<double>(g.peak.rss_kib) / 1024,
        g.watch_cpu_s);
  }
  if (r.default_streams)
    std::printf(
        "  the same through the default hai-gateway: %d completed, %d failed, %d unfinished; "
        "first token p50 %.0f ms, p99 %.0f ms\n",
        r.default_streams->figures.completed, r.default_streams->figures.failed,
        r.default_streams->figures.unfinished, r.default_streams->ttft.p50,
        r.default_streams->ttft.p99);
  std::printf("  load average at the end: %s\n", LoadAverage().c_str());
}

int Run(const Flags& f) {
  const uint64_t files = RaiseFileLimit();  // before the daemons start: they inherit it
  std::printf("gateway_bench: %ld cores, open-file limit %llu, load average %s\n",
              ::sysconf(_SC_NPROCESSORS_ONLN), static_cast<unsigned long long>(files),
              LoadAverage().c_str());
  auto fail = [](const Status& st) {
    std::fprintf(stderr, "gateway_bench: %s\n", st.message().c_str());
    return 1;
  };
  auto appliance = Appliance::Start(f.bin_dir, f.log_level);
  if (!appliance.ok()) return fail(appliance.status());
  std::printf("haictl up ready in %.1f s (base port %d)\n", (*appliance)->up_seconds(),
              (*appliance)->base_port());
  PortalSession portal((*appliance)->portal_port());
  auto setup = Prepare(**appliance, portal, f);
  if (!setup.ok()) return fail(setup.status());
  const Setup& s = *setup;
  const std::string body = ChatBody(s.service, false, f);
  const Target direct = At(s.upstream.port, "", body), gateway = At(s.gateway_port, s.key, body);
  const ProcessSample gateway_before = ReadProcess(s.gateway_pid);
  int64_t overflows = ListenOverflows();
  Results r;
  PhaseOptions latency = f.latency, max = f.max;
  latency.gateway_pid = max.gateway_pid = s.gateway_pid;
  if (f.phases.count("latency")) {
    auto l = AddedLatency("Added latency, minimal upstream, non-streaming", direct, gateway, f.rate,
                          latency);
    if (!l.ok()) return fail(l.status());
    r.latency = *l;
    PrintMachine(&overflows);
  }
  if (f.phases.count("max")) {
    auto m = MostRequests("Most req/s, minimal upstream", direct, gateway, max);
    if (!m.ok()) return fail(m.status());
    r.most = *m;
    PrintMachine(&overflows);
  }
  if (f.phases.count("engine"))
    if (Status st = RunEngine(**appliance, s, f, &r, &overflows); !st.ok()) return fail(st);
  const ProcessSample gateway_after = ReadProcess(s.gateway_pid);
  std::printf(
      "\nhaictl up's hai-gateway (threads: default): RSS %.1f MiB before, %.1f MiB after "
      "the runs above, %lld threads\n",
      static_cast<double>(gateway_before.rss_kib) / 1024,
      static_cast<double>(gateway_after.rss_kib) / 1024,
      static_cast<long long>(gateway_after.threads));
  if (f.phases.count("streams"))
    if (Status st = RunStreams(**appliance, s, f, &r, &overflows); !st.ok()) return fail(st);
  std::printf("\nminimal upstream replica: %s\n",
              ReplicaState(portal, s.upstream.service_id).c_str());
  PrintSummary(r, f);
  return 0;
}

}  // namespace
}  // namespace hai::bench

int main(int argc, char** argv) {
  hai::bench::Flags f;
  f.bin_dir = hai::proc::SelfDirectory();
  CLI::App app{"hai-gateway's added latency, req/s and concurrent streams, against direct calls"};
  app.add_option("--bin-dir", f.bin_dir,
                 "where haictl and the daemons are (default: beside this program)");
  app.add_option("--phases", f.phases, "latency, max, engine, streams (default: all)")
      ->check(CLI::IsMember({"latency", "max", "engine", "streams"}))
      ->delimiter(',');
  app.add_option("--rate", f.rate, "req/s of the latency runs")->check(CLI::Range(1.0, 100000.0));
  app.add_option("--seconds", f.latency.seconds, "measured seconds per target of a latency run")
      ->check(CLI::Range(0.1, 600.0));
  app.add_option("--rounds", f.latency.rounds, "alternating slices of each run")
      ->check(CLI::Range(1, 100));
  app.add_option("--warmup", f.latency.warmup_s, "warm-up seconds before each slice")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--connections", f.latency.connections, "most connections of a latency run")
      ->check(CLI::Range(1, 4096));
  app.add_option("--max-seconds", f.max.seconds, "measured seconds per target of a req/s run")
      ->check(CLI::Range(0.1, 600.0));
  app.add_option("--max-connections", f.max.connections, "connections of a req/s run")
      ->check(CLI::Range(1, 4096));
  app.add_option("--engine-rate", f.engine_rate,
                 "req/s against hai-engine (default: half what it holds)")
      ->check(CLI::Range(0.0, 100000.0));
  app.add_option("--streams", f.streams, "concurrent SSE streams")->check(CLI::Range(1, 9000));
  app.add_option("--tokens", f.tokens, "tokens per stream")->check(CLI::Range(1, 10000));
  app.add_option("--token-interval-ms", f.token_interval_ms, "between a stream's tokens")
      ->check(CLI::Range(0, 10000));
  app.add_option("--ramp", f.ramp_s, "seconds over which the streams start")
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--gateway-threads", f.gateway_threads,
                 "threads of the streams' hai-gateway (default: streams + 100)")
      ->check(CLI::Range(0, 100000));
  app.add_flag("--default-gateway-streams", f.default_gateway_streams,
               "also run the streams through haictl up's hai-gateway (default threads)");
  app.add_option("--log-level", f.log_level, "the daemons' log level");
  app.add_flag("--quick", f.quick, "a short smoke run: 200 req/s for 2 s, 100 streams of 5 tokens");
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // lines in order with the daemons' stderr
  if (f.quick) {
    f.rate = std::min(f.rate, 200.0);
    for (hai::bench::PhaseOptions* p : {&f.latency, &f.max}) {
      p->seconds = std::min(p->seconds, 2.0);
      p->rounds = std::min(p->rounds, 2);
      p->warmup_s = std::min(p->warmup_s, 0.2);
    }
    f.streams = std::min(f.streams, 100);
    f.tokens = std::min(f.tokens, 5);
    f.token_interval_ms = std::min(f.token_interval_ms, 100);
    f.ramp_s = std::min(f.ramp_s, 1.0);
  }
  f.max.warmup_s = f.latency.warmup_s;
  f.max.rounds = f.latency.rounds;
  return hai::bench::Run(f);
}
