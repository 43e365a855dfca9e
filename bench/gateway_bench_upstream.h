#pragma once

// gateway_bench's minimal upstream: an OpenAI-shaped server that does no work,
// so what the bench measures through it is the gateway's own cost. One
// thread, epoll, non-blocking sockets, HTTP/1.1 keep-alive; thousands of
// connections and streams at once.
//
//   GET  /health                       200 {"status":"ok"}
//   POST /v1/chat/completions          a one-token chat.completion with usage
//   POST /v1/completions               the same as a text_completion
//   … with "stream": true              text/event-stream (chunked): `max_tokens`
//                                      events (default 16), the first at once,
//                                      then one every `hai_bench_token_interval_ms`
//                                      (default --token-interval-ms), then a
//                                      usage event and `data: [DONE]`
//
// Each streamed token's content is "@" and the NowNs() at which the event was
// written, so a client on the same machine can tell how long the event took
// to reach it (directly, or through the gateway).

#include <cstdint>
#include <memory>
#include <string>

#include "bench/gateway_bench_socket.h"
#include "lib/base/status.h"

namespace hai::bench {

struct UpstreamOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  std::string served_name = "bench";
  int64_t token_interval_ms = 100;
  int backlog = 4096;
};

class MinimalUpstream {
 public:
  // Binds; serving starts with Run().
  static Result<std::unique_ptr<MinimalUpstream>> Listen(const UpstreamOptions& options);
  ~MinimalUpstream();

  int port() const { return port_; }
  // Serves until the process ends (or a loop error, returned).
  Status Run();

 private:
  struct Conn;
  struct Impl;
  explicit MinimalUpstream(std::unique_ptr<Impl> impl, int port);
  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace hai::bench
