#pragma once

// gateway_bench's load generator, one thread on epoll (gateway_bench_pool):
//   RunOpenLoop    a fixed arrival rate on kept-alive connections; latency is
//                  taken from each request's scheduled send time, so a slow
//                  answer delays the measurement of the ones queued behind it
//                  (no coordinated omission)
//   RunClosedLoop  N connections each sending its next request as soon as
//                  the last is answered: the most req/s the target gives
//   RunStreams     N concurrent SSE streams, each on its own connection; the
//                  delay of every token from the upstream's stamp to arrival
// Every run stops by count and by time.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::bench {

// Where requests go: one request, built once and sent over and over.
struct Target {
  int port = 0;  // on 127.0.0.1
  std::string path = "/v1/chat/completions";
  std::string body;
  std::string bearer;  // "" = no Authorization header
  std::string Bytes() const;
};

struct OpenLoopOptions {
  double rate = 2000;   // requests per second, evenly spaced
  double seconds = 10;  // the measured window
  double warmup_s = 1;  // sent at the same rate first, not counted
  int64_t max_requests = 1'000'000;
  int max_connections = 64;
  double drain_s = 5;  // after the last send, the longest wait for answers
};

struct LatencyFigures {
  int64_t scheduled = 0;            // measured requests
  int64_t ok = 0;                   // 2xx answers
  int64_t failed = 0;               // other statuses, broken connections
  int64_t unanswered = 0;           // still open when the drain time ran out
  int64_t answers = 0;              // every answer, warm-up included
  std::vector<double> latency_ms;   // ok answers: scheduled send → last byte
  std::vector<double> send_lag_ms;  // scheduled → actually sent (generator and queueing)
  int connections = 0;              // most open at once
  double seconds = 0;               // first scheduled → last answer
  std::string first_error;
};
Result<LatencyFigures> RunOpenLoop(const Target& target, const OpenLoopOptions& options);

struct ClosedLoopOptions {
  int connections = 32;
  double seconds = 5;
  double warmup_s = 1;
  int64_t max_requests = 10'000'000;
};

struct ThroughputFigures {
  int64_t ok = 0;
  int64_t failed = 0;
  int64_t answers = 0;  // every answer, warm-up and after the window included
  double seconds = 0;   // the measured window
  double per_second = 0;
  std::vector<double> latency_ms;  // sent → answered
  std::string first_error;
};
Result<ThroughputFigures> RunClosedLoop(const Target& target, const ClosedLoopOptions& options);

struct StreamOptions {
  int streams = 5000;
  int expected_tokens = 20;  // what the request asks for; fewer is a failure
  double ramp_s = 5;         // the streams start evenly over this long
  double timeout_s = 120;    // from the first start; streams still open then fail
  // Called about every 100 ms with the streams open (head received, not ended).
  std::function<void(int open)> sample;
};

struct StreamFigures {
  int started = 0;
  int completed = 0;  // 200, every token, [DONE], no error event
  int failed = 0;
  int unfinished = 0;  // still open at the timeout
  int peak_open = 0;
  int64_t tokens = 0;
  std::vector<double> token_delay_ms;  // upstream's stamp → arrival, every token
  std::vector<double> ttft_ms;         // scheduled start → first token
  double seconds = 0;
  std::string first_error;
};
Result<StreamFigures> RunStreams(const Target& target, const StreamOptions& options);

}  // namespace hai::bench
