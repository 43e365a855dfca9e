// gateway_bench_upstream: the minimal upstream of gateway_bench as a program,
// started by hai-agent through the engine profile gateway_bench writes
// (command: {engine_bin_dir}/gateway_bench_upstream --host … --port …), so
// that it is a Ready replica in the scheduler's routing table like any engine.
// SIGTERM ends it (nothing to save).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "bench/gateway_bench_socket.h"
#include "bench/gateway_bench_upstream.h"

int main(int argc, char** argv) {
  CLI::App cli{"gateway_bench_upstream: an OpenAI-shaped server that does no work"};
  hai::bench::UpstreamOptions options;
  cli.add_option("--host", options.host, "address to listen on (IPv4)");
  cli.add_option("--port", options.port, "port, 0 for any free one")->check(CLI::Range(0, 65535));
  cli.add_option("--served-name", options.served_name, "the `model` its answers name");
  cli.add_option("--token-interval-ms", options.token_interval_ms,
                 "between streamed tokens, unless the request sets hai_bench_token_interval_ms")
      ->check(CLI::Range(0, 60000));
  CLI11_PARSE(cli, argc, argv);

  hai::bench::RaiseFileLimit();  // one connection per stream
  auto upstream = hai::bench::MinimalUpstream::Listen(options);
  if (!upstream.ok()) {
    std::fprintf(stderr, "gateway_bench_upstream: %s\n", upstream.status().message().c_str());
    return 1;
  }
  std::fprintf(stderr, "gateway_bench_upstream: listening on %s:%d\n", options.host.c_str(),
               (*upstream)->port());
  hai::Status st = (*upstream)->Run();
  std::fprintf(stderr, "gateway_bench_upstream: %s\n", st.message().c_str());
  return 1;
}
