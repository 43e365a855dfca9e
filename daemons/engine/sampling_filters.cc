#include "daemons/engine/sampling_filters.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hai::engine {
namespace {

constexpr size_t kFirstNucleusGuess = 64;
constexpr float kMasked = -std::numeric_limits<float>::infinity();

// Higher logit first; equal logits: lower id first.
bool Better(const Candidate& a, const Candidate& b) {
  return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

float MaxLogit(const std::vector<Candidate>& candidates) {
  float max = kMasked;
  for (const Candidate& c : candidates) max = std::max(max, c.logit);
  return max;
}

void KeepTopK(std::vector<Candidate>& candidates, int top_k) {
  if (top_k <= 0 || static_cast<size_t>(top_k) >= candidates.size()) return;
  std::nth_element(candidates.begin(), candidates.begin() + top_k, candidates.end(), Better);
  candidates.resize(static_cast<size_t>(top_k));
}

// A token stays while the mass of the tokens better than it is below top_p.
// The ranking is built a block at a time (select the next block's members,
// sort just them): a peaked distribution reaches top_p within the first few
// dozen tokens, and a flat one costs a few linear passes, not a full sort.
void KeepNucleus(std::vector<Candidate>& candidates, double top_p) {
  if (top_p >= 1.0 || candidates.size() <= 1) return;
  const float max = MaxLogit(candidates);
  double total = 0;
  for (const Candidate& c : candidates) total += std::exp(c.logit - max);
  const double limit = top_p * total;
  const size_t n = candidates.size();
  double before = 0;
  size_t ranked = 0;
  size_t block_end = std::min(n, kFirstNucleusGuess);
  while (true) {
    const auto first = candidates.begin() + static_cast<ptrdiff_t>(ranked);
    const auto last = candidates.begin() + static_cast<ptrdiff_t>(block_end);
    if (block_end < n) std::nth_element(first, last, candidates.end(), Better);
    std::sort(first, last, Better);
    for (size_t i = ranked; i < block_end; ++i) {
      if (i > 0 && before >= limit) {
        candidates.resize(i);
        return;
      }
      before += std::exp(candidates[i].logit - max);
    }
    if (block_end == n) return;  // every token is needed
    ranked = block_end;
    block_end = std::min(n, block_end * 4);
  }
}

// p_i / p_max = exp(l_i - l_max), so min_p is a logit threshold.
void KeepMinP(std::vector<Candidate>& candidates, double min_p) {
  if (min_p <= 0 || candidates.empty()) return;
  const double threshold = MaxLogit(candidates) + std::log(min_p);
  std::erase_if(candidates,
                [&](const Candidate& c) { return static_cast<double>(c.logit) < threshold; });
}

}  // namespace

void FilterCandidates(std::span<const float> logits, const SamplingParams& params,
                      std::vector<Candidate>* out) {
  std::vector<Candidate>& candidates = *out;
  const auto temperature = static_cast<float>(params.temperature);
  candidates.clear();
  candidates.reserve(logits.size());
  for (size_t i = 0; i < logits.size(); ++i) {
    if (logits[i] != kMasked && !std::isnan(logits[i]))
      candidates.push_back({logits[i] / temperature, static_cast<int32_t>(i)});
  }
  KeepTopK(candidates, params.top_k);
  KeepNucleus(candidates, params.top_p);
  KeepMinP(candidates, params.min_p);
  auto by_id = [](const Candidate& a, const Candidate& b) { return a.id < b.id; };
  if (!std::is_sorted(candidates.begin(), candidates.end(), by_id))
    std::sort(candidates.begin(), candidates.end(), by_id);
}

std::vector<Candidate> FilterCandidates(std::span<const float> logits,
                                        const SamplingParams& params) {
  std::vector<Candidate> out;
  FilterCandidates(logits, params, &out);
  return out;
}

}  // namespace hai::engine
