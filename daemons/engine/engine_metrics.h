#pragma once

#include <cstdint>
#include <string>

#include "daemons/engine/generation.h"
#include "lib/metrics/registry.h"

namespace hai::engine {

// The step loop's metrics under vLLM's names, so dashboards and the gateway
// read hai-engine and vLLM alike. Every series carries model_name. Times are
// in seconds. Thread-safe (the families are).
class EngineMetrics {
 public:
  EngineMetrics(metrics::Registry* registry, std::string served_name, int64_t max_context);

  void SetLoad(int running, int waiting, double kv_usage);
  void Preempted();
  void PromptDone(int prompt_tokens);
  void TokenGenerated();
  void QueueTime(double seconds);
  void TimeToFirstToken(double seconds);
  void TimePerOutputToken(double seconds);
  void Finished(FinishReason reason, double e2e_seconds, int prompt_tokens, int output_tokens);

 private:
  metrics::Labels labels_;
  metrics::Family* running_;
  metrics::Family* waiting_;
  metrics::Family* kv_usage_;
  metrics::Family* prompt_tokens_;
  metrics::Family* generation_tokens_;
  metrics::Family* preemptions_;
  metrics::Family* success_;
  metrics::Family* ttft_;
  metrics::Family* tpot_;
  metrics::Family* e2e_;
  metrics::Family* request_prompt_tokens_;
  metrics::Family* request_generation_tokens_;
  metrics::Family* queue_time_;
};

}  // namespace hai::engine
