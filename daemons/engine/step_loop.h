#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "daemons/engine/generation.h"
#include "lib/base/clock.h"
#include "lib/base/status.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/metrics/registry.h"
#include "lib/transformer/decoder_model.h"

namespace hai::engine {

struct StepLoopOptions {
  int max_num_seqs = 32;                  // sequences decoding together
  int64_t max_num_batched_tokens = 2048;  // tokens per step (decodes first, then prefill chunks)
  // 0: derived from the model, max(max_num_seqs × 2048, max_position) tokens.
  int64_t kv_budget_bytes = 0;
  int max_waiting = 1024;        // queue bound; beyond it Submit fails (429)
  const Clock* clock = nullptr;  // for the latency metrics; nullptr: the system clock
};

// Load in numbers, for /metrics and /health.
struct LoadSnapshot {
  int running = 0;
  int waiting = 0;
  int64_t kv_bytes_used = 0;
  int64_t kv_bytes_budget = 0;
  uint64_t preemptions = 0;
};

// Continuous batching. One thread runs steps: between two decode steps it
// admits waiting sequences while max_num_seqs and the KV budget allow, feeds
// long prompts in chunks, samples, detokenises, applies stop rules and emits
// events. When the budget cannot hold the next tokens it preempts the
// youngest running sequence (its cache is freed and it recomputes later).
// Submit() and Cancel() may be called from any thread.
class StepLoop {
 public:
  // `ckpt` (tokenizer, EOS ids) and `model` must outlive the loop. Metrics use
  // vLLM's names (vllm:num_requests_running, …) with label model_name.
  StepLoop(const checkpoint::Checkpoint* ckpt, transformer::DecoderModel* model,
           StepLoopOptions options, metrics::Registry* registry, std::string served_name);
  ~StepLoop();  // stops the thread; unfinished requests get kAbort
  StepLoop(const StepLoop&) = delete;
  StepLoop& operator=(const StepLoop&) = delete;

  void Start();
  // Fails at once (no events) on a prompt that cannot ever fit (prompt +
  // max_tokens beyond the context, empty prompt) or a full queue.
  Status Submit(GenerationRequest request, EventSink sink);
  // Frees the sequence's KV at the next step boundary and sends kAbort.
  void Cancel(const std::string& request_id);
  LoadSnapshot Load() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hai::engine
