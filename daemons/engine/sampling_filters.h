#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "daemons/engine/generation.h"

namespace hai::engine {

struct Candidate {
  float logit;  // after temperature
  int32_t id;
};

// The tokens a draw may pick: logits divided by the temperature, masked
// (-inf) tokens dropped, then top_k, top_p over what top_k kept (the smallest
// set of best tokens whose probability reaches top_p; the token that crosses
// the line stays, and always at least one), then min_p (probability at least
// min_p × the best token's). Returned in id order. Equal logits rank the
// lower id first, so the set is a function of the logits alone. Uses partial
// selection and sorts only as much of the vocabulary as the nucleus needs.
std::vector<Candidate> FilterCandidates(std::span<const float> logits,
                                        const SamplingParams& params);
// The same into `out`, whose storage is reused from call to call.
void FilterCandidates(std::span<const float> logits, const SamplingParams& params,
                      std::vector<Candidate>* out);

}  // namespace hai::engine
