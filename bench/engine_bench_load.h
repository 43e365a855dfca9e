#pragma once

// engine_bench's load generator: requests into a real engine::StepLoop
// (scheduler, sampler, detokeniser and stop rules included) and the times at
// which their tokens come back.

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemons/engine/step_loop.h"
#include "lib/base/status.h"

namespace hai::bench {

// Seconds on a monotonic clock.
double NowSeconds();

// One request's life as the client saw it.
struct RequestTiming {
  double submit_s = 0;
  double first_token_s = -1;
  double last_token_s = -1;
  double done_s = -1;
  std::vector<int32_t> output;
  std::vector<double> token_s;  // arrival of each output token
  engine::FinishReason finish = engine::FinishReason::kNone;
  Status error;
  bool done = false;
};

// Submits greedy, ignore_eos requests of a fixed length and records, from
// the event sinks, when tokens arrive. Thread-safe: sinks run on the step
// loop's thread. Must outlive the StepLoop's last event (destroy the loop
// first, or wait for every request).
class LoadDriver {
 public:
  explicit LoadDriver(engine::StepLoop* loop) : loop_(loop) {}

  Status Submit(const std::string& id, std::vector<int32_t> prompt, int max_tokens);
  // True when every request submitted so far finished within `timeout_s`.
  bool WaitAll(double timeout_s);
  // True when the requests in `ids` finished within `timeout_s`.
  bool WaitFor(const std::vector<std::string>& ids, double timeout_s);
  void Cancel(const std::string& id) { loop_->Cancel(id); }
  // Cancels whatever is still running and waits (bounded) for the aborts.
  void CancelAll(double timeout_s);
  RequestTiming Get(const std::string& id) const;
  std::vector<RequestTiming> All() const;

 private:
  void OnEvent(const std::string& id, engine::GenerationEvent&& event);

  engine::StepLoop* loop_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, RequestTiming> requests_;
};

// --- The measurements. Every wait is bounded by `timeout_s`; running out of
// time is an error that names the phase.

// Prompt tokens per second of one prompt alone (submit → first token).
Result<double> MeasurePrefill(engine::StepLoop& loop, const std::vector<int32_t>& prompt,
                              double timeout_s);

struct DecodeFigures {
  double tokens_per_s = 0;  // between the first and the last token
  std::vector<int32_t> output;
};
// One stream decoding `max_tokens` greedy tokens after `prompt`.
Result<DecodeFigures> MeasureDecode(engine::StepLoop& loop, const std::vector<int32_t>& prompt,
                                    int max_tokens, double timeout_s);

struct StreamFigures {
  double aggregate_tokens_per_s = 0;  // all output tokens / (first submit → last finish)
  // Output tokens / s while every stream was decoding (from the last first
  // token to the first finish): the batched decode rate without the prompts.
  double steady_tokens_per_s = -1;
  double ttft_mean_s = 0;
  uint64_t preemptions = 0;
};
// `prompts.size()` streams submitted at once, `max_tokens` each.
Result<StreamFigures> MeasureStreams(engine::StepLoop& loop,
                                     const std::vector<std::vector<int32_t>>& prompts,
                                     int max_tokens, double timeout_s);

// Requests arriving on a schedule while `background` streams keep decoding.
struct Arrival {
  double at_s = 0;  // after the start of the phase
  std::vector<int32_t> prompt;
  int max_tokens = 0;
};
struct TtftFigures {
  double p50_s = 0, p99_s = 0, max_s = 0;
  double span_s = 0;               // first arrival → last finish
  double output_tokens_per_s = 0;  // of the arrivals, over span_s
  int peak_running = 0;
};
Result<TtftFigures> MeasureTtftUnderLoad(engine::StepLoop& loop,
                                         const std::vector<std::vector<int32_t>>& background,
                                         int background_tokens,
                                         const std::vector<Arrival>& arrivals, double timeout_s);

}  // namespace hai::bench
