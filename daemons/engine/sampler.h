#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "daemons/engine/generation.h"
#include "daemons/engine/sampling_filters.h"
#include "lib/transformer/decoder_model.h"

namespace hai::engine {

struct SampledToken {
  int32_t token = 0;
  std::optional<transformer::TokenLogprob> logprob;  // when params.logprobs >= 0
};

// Picks one sequence's next tokens from the model's logits, in vLLM's order:
// repetition penalty (HF: over prompt and output tokens), frequency and
// presence penalties (over output tokens), min_tokens masking of the stop
// ids, temperature (below 1e-5: greedy argmax, ties to the lowest id), then
// the filters of FilterCandidates() and one draw from the sequence's own
// random stream. That stream is seeded from `seed` when given, so a seeded
// output depends on seed, prompt and parameters only, never on the batch
// around it. Not thread-safe: one per sequence.
class Sampler {
 public:
  // `stop_ids`: the ids min_tokens holds back (EOS unless ignore_eos, and
  // stop_token_ids).
  Sampler(const SamplingParams& params, std::span<const int32_t> prompt,
          std::vector<int32_t> stop_ids);

  // Chooses the next token from raw `logits` (vocab_size values) and records
  // it. Log-probabilities, when asked, are those of the raw logits.
  SampledToken Sample(std::span<const float> logits);
  // The logits after penalties and min_tokens masking (masked: -inf), before
  // temperature: what Sample() chooses from.
  std::vector<float> Penalised(std::span<const float> logits) const;
  // Counts `token` as an output (Sample() does this itself).
  void Record(int32_t token);
  int num_outputs() const { return num_outputs_; }

 private:
  void Penalise(std::span<const float> logits, std::vector<float>* out) const;
  void ApplyPenalties(std::vector<float>& logits) const;
  int32_t Draw(const std::vector<float>& logits);

  SamplingParams params_;
  std::vector<int32_t> stop_ids_;
  std::unordered_set<int32_t> prompt_ids_;  // only kept for a repetition penalty
  std::unordered_map<int32_t, int> output_counts_;
  int num_outputs_ = 0;
  std::mt19937_64 rng_;
  // Per-step buffers of vocabulary size, kept so a step allocates nothing.
  std::vector<float> penalised_;
  std::vector<Candidate> candidates_;
  std::vector<float> weights_;
};

}  // namespace hai::engine
