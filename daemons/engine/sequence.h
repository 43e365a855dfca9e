#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "daemons/engine/generation.h"
#include "daemons/engine/sampler.h"
#include "daemons/engine/stop_matcher.h"
#include "lib/tokenizer/tokenizer.h"
#include "lib/transformer/decoder_model.h"

namespace hai::engine {

// What every sequence of one model shares: how to detokenise, when it ends.
struct SequenceRules {
  const tokenizer::Tokenizer* tokenizer = nullptr;
  std::vector<int32_t> eos_ids;  // the checkpoint's generation.eos_token_ids
  int64_t max_context = 0;       // the model's max_position
};

// One request inside the step loop: its tokens (prompt, then output), how
// many of them its KV cache holds, its sampler, detokeniser and stop matcher,
// and its timestamps. Output processing (stop tokens, stop strings, length)
// turns each sampled token into the event the request's owner receives.
// Owned and used by the step-loop thread only.
class Sequence {
 public:
  Sequence(GenerationRequest request, EventSink sink, const SequenceRules* rules,
           int64_t arrival_ms);

  const std::string& id() const { return request_.request_id; }
  const GenerationRequest& request() const { return request_; }
  int prompt_len() const { return static_cast<int>(request_.prompt.size()); }
  int num_outputs() const { return num_outputs_; }
  std::span<const int32_t> tokens() const { return tokens_; }
  // Tokens not yet in the cache: the prompt (or, after a preemption, prompt and
  // output) during prefill, the last sampled token while decoding.
  int64_t pending() const { return static_cast<int64_t>(tokens_.size()) - num_computed_; }
  int64_t num_computed() const { return num_computed_; }

  transformer::KvCache* cache() const { return cache_.get(); }
  int64_t cache_bytes() const { return cache_ ? cache_->bytes() : 0; }
  void SetCache(std::unique_ptr<transformer::KvCache> cache) { cache_ = std::move(cache); }
  // Frees the cache; the sequence recomputes prompt and output when it runs
  // again (output already reported is not reported again).
  void Preempt();
  void ReleaseCache() { cache_.reset(); }

  // The prompt_top_n to ask of the model for the next chunk: the request's
  // prompt_logprobs while the prompt's log-probabilities are still owed, else -1.
  int PromptTopN() const;
  // Records that `n` tokens were appended to the cache by a step that gave
  // `output` (its prompt log-probabilities and, at a chunk's end, logits).
  void OnComputed(int64_t n, bool asked_prompt_logprobs, const transformer::StepOutput& output);

  // Appends a sampled token and applies the stop rules: the returned event
  // carries the token, its text (what became final) and, when it ended the
  // sequence, the finish reason.
  GenerationEvent OnSampled(const SampledToken& sampled);
  // An end without a new token (abort, no room to grow): the held-back text
  // is released, except on abort.
  GenerationEvent FinishWithout(FinishReason reason);

  Sampler& sampler() { return sampler_; }
  void Emit(GenerationEvent&& event) const { sink_(std::move(event)); }

  // Bookkeeping of the step loop.
  uint64_t admitted_order = 0;  // later admissions are younger
  int64_t arrival_ms = 0;
  int64_t first_scheduled_ms = -1;
  int64_t first_token_ms = -1;
  int64_t last_token_ms = -1;
  bool finished = false;

 private:
  std::string DecodeToken(int32_t token, bool may_stop, FinishReason* finish,
                          std::string* stop_reason);
  std::string DrainText(bool may_stop, FinishReason* finish, std::string* stop_reason);
  bool IsEos(int32_t token) const;
  bool IsStopTokenId(int32_t token) const;
  void Fill(GenerationEvent& event) const;

  GenerationRequest request_;
  EventSink sink_;
  const SequenceRules* rules_;
  std::vector<int32_t> tokens_;
  int64_t num_computed_ = 0;
  int num_outputs_ = 0;
  std::unique_ptr<transformer::KvCache> cache_;
  Sampler sampler_;
  tokenizer::StreamDecoder decoder_;
  StopMatcher stop_matcher_;
  std::vector<transformer::TokenLogprob> prompt_logprobs_;
  bool prompt_logprobs_sent_ = false;
  bool stopped_by_string_ = false;
};

}  // namespace hai::engine
