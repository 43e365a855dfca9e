#include "daemons/engine/logprobs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace hai::engine {
namespace {

// log(sum(exp(logits))), stable: shifted by the maximum, summed in double.
double LogSumExp(std::span<const float> logits) {
  const float max = MaxLogit(logits);
  if (!std::isfinite(max)) return max;
  double sum = 0;
  for (float v : logits) sum += std::exp(v - max);
  return max + std::log(sum);
}

// The `n` best (logit, id) pairs, best first, with a bounded heap: one pass
// over the vocabulary, no copy of it.
std::vector<std::pair<int32_t, float>> TopN(std::span<const float> logits, int n) {
  using Entry = std::pair<float, int32_t>;
  // "a before b" means a is better: higher logit, then lower id.
  auto better = [](const Entry& a, const Entry& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  std::vector<Entry> heap;  // worst of the kept entries at the front
  const size_t keep = static_cast<size_t>(n);
  heap.reserve(keep + 1);
  for (size_t i = 0; i < logits.size(); ++i) {
    Entry e{logits[i], static_cast<int32_t>(i)};
    if (heap.size() < keep) {
      heap.push_back(e);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(e, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = e;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  std::vector<std::pair<int32_t, float>> out;
  out.reserve(heap.size());
  for (const auto& [logit, id] : heap) out.emplace_back(id, logit);
  return out;
}

}  // namespace

float MaxLogit(std::span<const float> logits) {
  constexpr size_t kLanes = 8;
  float lanes[kLanes];
  std::fill(lanes, lanes + kLanes, -std::numeric_limits<float>::infinity());
  size_t i = 0;
  for (; i + kLanes <= logits.size(); i += kLanes) {
    for (size_t k = 0; k < kLanes; ++k)
      lanes[k] = logits[i + k] > lanes[k] ? logits[i + k] : lanes[k];
  }
  for (; i < logits.size(); ++i) lanes[0] = logits[i] > lanes[0] ? logits[i] : lanes[0];
  return *std::max_element(lanes, lanes + kLanes);
}

transformer::TokenLogprob LogprobOf(std::span<const float> logits, int32_t token, int top_n) {
  transformer::TokenLogprob out;
  out.token = token;
  const double log_z = LogSumExp(logits);
  auto logprob = [&](float logit) { return static_cast<float>(logit - log_z); };
  if (token >= 0 && static_cast<size_t>(token) < logits.size()) {
    out.logprob = logprob(logits[static_cast<size_t>(token)]);
  } else {
    out.logprob = -std::numeric_limits<float>::infinity();
  }
  if (top_n > 0) {
    out.top = TopN(logits, top_n);
    for (auto& entry : out.top) entry.second = logprob(entry.second);
  }
  return out;
}

}  // namespace hai::engine
