#include "daemons/engine/engine_metrics.h"

#include <vector>

namespace hai::engine {
namespace {

// 1, 2, 5, 10, 20, 50, … up to `max` (vLLM's token-count buckets).
std::vector<double> OneTwoFiveBuckets(int64_t max) {
  std::vector<double> buckets;
  for (double magnitude = 1;; magnitude *= 10) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m * magnitude > static_cast<double>(max)) return buckets;
      buckets.push_back(m * magnitude);
    }
  }
}

std::vector<double> InterTokenBuckets() {
  return {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0};
}

}  // namespace

EngineMetrics::EngineMetrics(metrics::Registry* registry, std::string served_name,
                             int64_t max_context)
    : labels_{{"model_name", std::move(served_name)}} {
  running_ = registry->Gauge("vllm:num_requests_running", "Requests in the running batch.");
  waiting_ = registry->Gauge("vllm:num_requests_waiting", "Requests waiting to be scheduled.");
  kv_usage_ = registry->Gauge("vllm:kv_cache_usage_perc",
                              "KV cache usage as a fraction of the budget (1 = full).");
  prompt_tokens_ = registry->Counter("vllm:prompt_tokens_total", "Prefill tokens processed.");
  generation_tokens_ =
      registry->Counter("vllm:generation_tokens_total", "Generation tokens produced.");
  preemptions_ = registry->Counter("vllm:num_preemptions_total", "Sequences preempted.");
  success_ = registry->Counter("vllm:request_success_total", "Finished requests by reason.");
  const auto latency = metrics::Registry::LatencyBuckets();
  ttft_ = registry->Histogram("vllm:time_to_first_token_seconds",
                              "Time from arrival to the first output token.", latency);
  tpot_ = registry->Histogram("vllm:time_per_output_token_seconds",
                              "Time between consecutive output tokens.", InterTokenBuckets());
  e2e_ = registry->Histogram("vllm:e2e_request_latency_seconds",
                             "Time from arrival to the end of the request.", latency);
  request_prompt_tokens_ = registry->Histogram(
      "vllm:request_prompt_tokens", "Prompt tokens per request.", OneTwoFiveBuckets(max_context));
  request_generation_tokens_ =
      registry->Histogram("vllm:request_generation_tokens", "Output tokens per request.",
                          OneTwoFiveBuckets(max_context));
  queue_time_ = registry->Histogram("vllm:request_queue_time_seconds",
                                    "Time from arrival to the first scheduled step.", latency);
  SetLoad(0, 0, 0);
}

void EngineMetrics::SetLoad(int running, int waiting, double kv_usage) {
  running_->Set(labels_, running);
  waiting_->Set(labels_, waiting);
  kv_usage_->Set(labels_, kv_usage);
}

void EngineMetrics::Preempted() { preemptions_->Add(labels_, 1); }
void EngineMetrics::PromptDone(int prompt_tokens) { prompt_tokens_->Add(labels_, prompt_tokens); }
void EngineMetrics::TokenGenerated() { generation_tokens_->Add(labels_, 1); }
void EngineMetrics::QueueTime(double seconds) { queue_time_->Observe(labels_, seconds); }
void EngineMetrics::TimeToFirstToken(double seconds) { ttft_->Observe(labels_, seconds); }
void EngineMetrics::TimePerOutputToken(double seconds) { tpot_->Observe(labels_, seconds); }

void EngineMetrics::Finished(FinishReason reason, double e2e_seconds, int prompt_tokens,
                             int output_tokens) {
  metrics::Labels with_reason = labels_;
  with_reason.emplace_back("finished_reason", std::string(FinishReasonName(reason)));
  success_->Add(with_reason, 1);
  e2e_->Observe(labels_, e2e_seconds);
  request_prompt_tokens_->Observe(labels_, prompt_tokens);
  request_generation_tokens_->Observe(labels_, output_tokens);
}

}  // namespace hai::engine
