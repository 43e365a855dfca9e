#pragma once

// engine_bench's reference: the same Llama / Qwen2 forward written the way a
// first libtorch port would write it, so that the benchmark can say how much
// the engine's own decoder and step loop gain over plain eager code on the
// same machine, in the same run, with the same weights.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/transformer/decoder_model.h"

namespace hai::bench {

// One sequence at a time, eager at::Tensor operations: separate q/k/v/gate/up
// projections (at::linear), keys and values repeated per query head (GQA as
// Hugging Face's repeat_kv), a causal mask over the whole prompt for prefill,
// then one token per forward with the cache grown by at::cat. Only the last
// position's logits are computed (the engine does the same), so the ratio is
// about execution, not about an avoidable [tokens, vocab] product.
// Not thread-safe; libtorch headers stay inside the .cc.
class EagerDecoder {
 public:
  // Copies the weights out of the checkpoint (f32/f16/bf16) into `dtype`;
  // `threads` > 0 sets libtorch's intra-op threads for the calling thread.
  static Result<std::unique_ptr<EagerDecoder>> Load(const checkpoint::Checkpoint& ckpt,
                                                    transformer::ComputeType dtype, int threads);
  ~EagerDecoder();
  EagerDecoder(const EagerDecoder&) = delete;
  EagerDecoder& operator=(const EagerDecoder&) = delete;

  // Forgets the cache, runs the whole prompt in one forward and returns the
  // logits after its last token (f32, vocab_size values).
  Result<std::vector<float>> Prefill(std::span<const int32_t> prompt);
  // Appends one token after what the cache holds; the logits after it.
  Result<std::vector<float>> Decode(int32_t token);
  int64_t length() const;  // tokens in the cache
  int64_t WeightBytes() const;

 private:
  struct Impl;
  explicit EagerDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hai::bench
