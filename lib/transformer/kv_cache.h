#pragma once

#include <cstdint>
#include <memory>

#include "lib/base/status.h"
#include "lib/transformer/decoder_model.h"

namespace at {
class Tensor;
}

namespace hai::transformer {

// What one sequence's cache holds, fixed by the model.
struct KvCacheShape {
  int layers = 0;
  int kv_heads = 0;
  int head_dim = 0;
  int64_t max_tokens = 0;  // the model's context
  ComputeType dtype = ComputeType::kF32;

  int64_t BytesPerToken() const;  // layers · 2 · kv_heads · head_dim · sizeof(dtype)
};

// DecoderModel's cache: one tensor [layers, 2 (keys, values), kv_heads,
// capacity, head_dim] per sequence, so that Reserve() is a single allocation
// and copy. `owner` is the id of the model that made it (ids are never
// reused, unlike addresses): Step() refuses a cache of another model.
// Not thread-safe.
class DecoderKvCache final : public KvCache {
 public:
  DecoderKvCache(uint64_t owner, const KvCacheShape& shape);
  ~DecoderKvCache() override;

  int64_t length() const override { return length_; }
  int64_t capacity() const override { return capacity_; }
  int64_t bytes() const override;
  Status Reserve(int64_t tokens) override;
  void Truncate(int64_t length) override;

  uint64_t owner() const { return owner_; }
  const KvCacheShape& shape() const { return shape_; }
  // Keys (`values` false) or values of `layer`: a view [kv_heads, capacity,
  // head_dim] of the storage, valid until the next Reserve().
  at::Tensor Layer(int layer, bool values) const;
  // Counts `tokens` more as written, after the model stored them in Layer().
  void Advance(int64_t tokens) { length_ += tokens; }

 private:
  uint64_t owner_;
  KvCacheShape shape_;
  int64_t length_ = 0;
  int64_t capacity_ = 0;
  std::unique_ptr<at::Tensor> storage_;  // undefined tensor until the first Reserve
};

}  // namespace hai::transformer
