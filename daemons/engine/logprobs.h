#pragma once

#include <cstdint>
#include <span>

#include "lib/transformer/decoder_model.h"

namespace hai::engine {

// The log-softmax of raw model `logits` at `token`, plus the `top_n` most
// likely tokens, best first (equal logits: lower id first). These are the
// model's own probabilities, before penalties, temperature or filters (what
// vLLM reports by default). `top_n` <= 0 gives an empty list.
// The largest value (-inf for none), scanned with independent lanes so the
// compiler can vectorise it: a vocabulary is 150k values, every token.
float MaxLogit(std::span<const float> logits);

transformer::TokenLogprob LogprobOf(std::span<const float> logits, int32_t token, int top_n);

}  // namespace hai::engine
