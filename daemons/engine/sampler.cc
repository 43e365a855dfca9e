#include "daemons/engine/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "daemons/engine/logprobs.h"

namespace hai::engine {
namespace {

constexpr double kGreedyBelow = 1e-5;  // vLLM's epsilon: such temperatures mean argmax
constexpr float kMasked = -std::numeric_limits<float>::infinity();

// The first index of the largest value (0 when every value is masked).
int32_t Argmax(const std::vector<float>& logits) {
  const float best = MaxLogit(logits);
  for (size_t i = 0; i < logits.size(); ++i)
    if (logits[i] == best) return static_cast<int32_t>(i);
  return 0;
}

}  // namespace

Sampler::Sampler(const SamplingParams& params, std::span<const int32_t> prompt,
                 std::vector<int32_t> stop_ids)
    : params_(params), stop_ids_(std::move(stop_ids)) {
  if (params_.repetition_penalty != 1.0) prompt_ids_.insert(prompt.begin(), prompt.end());
  if (params_.seed) {
    rng_.seed(*params_.seed);
  } else {
    std::random_device entropy;
    rng_.seed((static_cast<uint64_t>(entropy()) << 32) ^ entropy());
  }
}

void Sampler::ApplyPenalties(std::vector<float>& logits) const {
  const auto size = static_cast<int32_t>(logits.size());
  auto in_range = [&](int32_t id) { return id >= 0 && id < size; };
  const auto rep = static_cast<float>(params_.repetition_penalty);
  if (rep != 1.0f) {
    auto penalise = [&](int32_t id) {
      float& l = logits[static_cast<size_t>(id)];
      l = l > 0 ? l / rep : l * rep;
    };
    for (int32_t id : prompt_ids_)
      if (in_range(id)) penalise(id);
    for (const auto& [id, count] : output_counts_)
      if (in_range(id) && !prompt_ids_.contains(id)) penalise(id);
  }
  if (params_.frequency_penalty == 0 && params_.presence_penalty == 0) return;
  for (const auto& [id, count] : output_counts_) {
    if (!in_range(id)) continue;
    logits[static_cast<size_t>(id)] -=
        static_cast<float>(params_.frequency_penalty * count + params_.presence_penalty);
  }
}

void Sampler::Penalise(std::span<const float> logits, std::vector<float>* out) const {
  out->assign(logits.begin(), logits.end());
  for (float& l : *out)
    if (std::isnan(l)) l = kMasked;
  ApplyPenalties(*out);
  if (num_outputs_ < params_.min_tokens) {
    for (int32_t id : stop_ids_)
      if (id >= 0 && static_cast<size_t>(id) < out->size())
        (*out)[static_cast<size_t>(id)] = kMasked;
  }
}

std::vector<float> Sampler::Penalised(std::span<const float> logits) const {
  std::vector<float> out;
  Penalise(logits, &out);
  return out;
}

int32_t Sampler::Draw(const std::vector<float>& logits) {
  FilterCandidates(logits, params_, &candidates_);
  if (candidates_.empty()) return Argmax(logits);
  float max = kMasked;
  for (const Candidate& c : candidates_) max = std::max(max, c.logit);
  weights_.resize(candidates_.size());
  double total = 0;
  for (size_t i = 0; i < candidates_.size(); ++i) {
    weights_[i] = std::exp(candidates_[i].logit - max);
    total += weights_[i];
  }
  // 53 random bits → a uniform double in [0, 1), the same on every platform.
  // The walk goes in id order, so where a draw lands does not depend on how
  // the filters permuted the candidates.
  const double target = static_cast<double>(rng_() >> 11) * 0x1.0p-53 * total;
  double cumulative = 0;
  for (size_t i = 0; i < candidates_.size(); ++i) {
    cumulative += weights_[i];
    if (target < cumulative) return candidates_[i].id;
  }
  return candidates_.back().id;
}

SampledToken Sampler::Sample(std::span<const float> logits) {
  Penalise(logits, &penalised_);
  SampledToken out;
  out.token = params_.temperature < kGreedyBelow ? Argmax(penalised_) : Draw(penalised_);
  if (params_.logprobs >= 0) out.logprob = LogprobOf(logits, out.token, params_.logprobs);
  Record(out.token);
  return out;
}

void Sampler::Record(int32_t token) {
  ++output_counts_[token];
  ++num_outputs_;
}

}  // namespace hai::engine
