#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/model_config.h"
#include "lib/checkpoint/safetensors.h"

namespace hai::transformer {

enum class ComputeType { kF32, kBF16 };

struct ModelOptions {
  ComputeType dtype = ComputeType::kF32;
  bool int8_weights = false;  // weight-only int8, per-output-channel scales
  int threads = 0;            // intra-op threads; 0 = hardware concurrency
};

// The keys and values one sequence has written, for every layer. Storage is
// contiguous per sequence and grows on Reserve(); the byte count is what the
// engine's KV budget charges.
class KvCache {
 public:
  virtual ~KvCache() = default;
  virtual int64_t length() const = 0;    // tokens written
  virtual int64_t capacity() const = 0;  // tokens that fit without growing
  virtual int64_t bytes() const = 0;     // memory held now
  // Makes room for `tokens` in total (grows by at least 25 %, in 64-token
  // steps, never past the model's maximum context). Fails when the total is
  // beyond the model's context.
  virtual Status Reserve(int64_t tokens) = 0;
  // Forgets everything from `length` on (for a rollback or a prefix reuse).
  virtual void Truncate(int64_t length) = 0;
};

struct TokenLogprob {
  int32_t token = 0;
  float logprob = 0;
  std::vector<std::pair<int32_t, float>> top;  // best alternatives, best first
};

// One sequence's share of a step: `tokens` are appended after what its cache
// holds (a prefill chunk or one decode token).
struct StepInput {
  KvCache* cache = nullptr;
  std::span<const int32_t> tokens;
  // When >= 0: also return, for every token of `tokens` after the first, its
  // log-probability given what precedes it and the `prompt_top_n` best
  // alternatives (prompt log-probabilities, for echo + logprobs).
  int prompt_top_n = -1;
  // Return the logits after the last token (false for a prefill chunk that is
  // not the prompt's last).
  bool want_logits = true;
};

struct StepOutput {
  std::vector<float> logits;  // vocab_size values, or empty
  std::vector<TokenLogprob> prompt_logprobs;
};

// A Llama / Qwen2 decoder on libtorch (CPU): RMSNorm, RoPE with theta, GQA,
// SwiGLU, optional q/k/v bias, tied embeddings. Step() runs a ragged batch:
// the linear layers see every sequence's tokens at once, attention runs per
// sequence against its own cache. Not thread-safe: one step loop drives it.
class DecoderModel {
 public:
  static Result<std::unique_ptr<DecoderModel>> Load(const checkpoint::ModelConfig& config,
                                                    const checkpoint::TensorSet& tensors,
                                                    const ModelOptions& options);
  virtual ~DecoderModel() = default;

  virtual const checkpoint::ModelConfig& config() const = 0;
  virtual int64_t KvBytesPerToken() const = 0;
  virtual int64_t WeightBytes() const = 0;
  virtual std::unique_ptr<KvCache> NewCache() = 0;
  // Every input's cache must have room (Reserve) for its new tokens.
  virtual Result<std::vector<StepOutput>> Step(std::span<const StepInput> batch) = 0;
};

}  // namespace hai::transformer
