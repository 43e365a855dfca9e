#include "lib/transformer/kv_cache.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <exception>
#include <string>

#include "lib/transformer/linear.h"

namespace hai::transformer {
namespace {

constexpr int64_t kGrowthStep = 64;

// At least `tokens`, at least 25 % more than now, whole 64-token steps, and
// never past the model's context.
int64_t GrownCapacity(int64_t current, int64_t tokens, int64_t max_tokens) {
  int64_t wanted = std::max(tokens, current + current / 4);
  wanted = (wanted + kGrowthStep - 1) / kGrowthStep * kGrowthStep;
  return std::min(wanted, max_tokens);
}

}  // namespace

int64_t KvCacheShape::BytesPerToken() const {
  const int64_t element = dtype == ComputeType::kBF16 ? 2 : 4;
  return int64_t{layers} * 2 * kv_heads * head_dim * element;
}

DecoderKvCache::DecoderKvCache(uint64_t owner, const KvCacheShape& shape)
    : owner_(owner), shape_(shape), storage_(std::make_unique<at::Tensor>()) {}

DecoderKvCache::~DecoderKvCache() = default;

int64_t DecoderKvCache::bytes() const {
  return storage_->defined() ? static_cast<int64_t>(storage_->nbytes()) : 0;
}

Status DecoderKvCache::Reserve(int64_t tokens) {
  if (tokens < 0) return Status::InvalidArgument("cannot reserve a negative token count");
  if (tokens > shape_.max_tokens)
    return Status::InvalidArgument(std::to_string(tokens) +
                                   " tokens exceed the model's context of " +
                                   std::to_string(shape_.max_tokens));
  if (tokens <= capacity_) return Status::Ok();
  const int64_t grown = GrownCapacity(capacity_, tokens, shape_.max_tokens);
  try {
    at::InferenceMode inference;
    at::Tensor bigger = at::empty({shape_.layers, 2, shape_.kv_heads, grown, shape_.head_dim},
                                  at::TensorOptions().dtype(TorchType(shape_.dtype)));
    if (length_ > 0) bigger.narrow(3, 0, length_).copy_(storage_->narrow(3, 0, length_));
    *storage_ = std::move(bigger);
  } catch (const std::exception& e) {
    return Status(Code::kResourceExhausted,
                  "cannot grow a KV cache to " + std::to_string(grown) + " tokens: " + e.what());
  }
  capacity_ = grown;
  return Status::Ok();
}

void DecoderKvCache::Truncate(int64_t length) { length_ = std::clamp<int64_t>(length, 0, length_); }

at::Tensor DecoderKvCache::Layer(int layer, bool values) const {
  return (*storage_)[layer][values ? 1 : 0];
}

}  // namespace hai::transformer
