#include "daemons/engine/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "daemons/engine/logprobs.h"
#include "daemons/engine/sampling_filters.h"

namespace hai::engine {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

SamplingParams Greedy() {
  SamplingParams p;
  p.temperature = 0;
  return p;
}

std::vector<int32_t> Ids(const std::vector<Candidate>& candidates) {
  std::vector<int32_t> ids;
  for (const Candidate& c : candidates) ids.push_back(c.id);
  return ids;
}

// Logits whose softmax is exactly `probs` (up to rounding).
std::vector<float> LogitsFor(const std::vector<double>& probs) {
  std::vector<float> logits;
  for (double p : probs) logits.push_back(static_cast<float>(std::log(p)));
  return logits;
}

TEST(SamplerTest, GreedyTakesTheLowestIdAmongEqualMaxima) {
  Sampler sampler(Greedy(), {}, {});
  const std::vector<float> logits = {1, 3, 3, 2};
  EXPECT_EQ(sampler.Sample(logits).token, 1);
}

TEST(SamplerTest, TinyTemperatureIsGreedy) {
  SamplingParams p;
  p.temperature = 1e-6;
  Sampler sampler(p, {}, {});
  const std::vector<float> logits = {0.5f, 0.1f, 0.7f, 0.69f};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sampler.Sample(logits).token, 2);
}

TEST(SamplerTest, PenaltiesFollowHuggingFaceAndOpenAiArithmetic) {
  SamplingParams p = Greedy();
  p.repetition_penalty = 2.0;
  p.frequency_penalty = 0.5;
  p.presence_penalty = 0.25;
  const std::vector<int32_t> prompt = {0, 1};
  Sampler sampler(p, prompt, {});
  sampler.Record(2);
  sampler.Record(2);
  sampler.Record(3);
  const std::vector<float> out = sampler.Penalised(std::vector<float>{2, -1, 0.5f, 3, 4});
  EXPECT_FLOAT_EQ(out[0], 1.0f);                        // prompt, positive: divided
  EXPECT_FLOAT_EQ(out[1], -2.0f);                       // prompt, negative: multiplied
  EXPECT_FLOAT_EQ(out[2], 0.25f - (0.5f * 2 + 0.25f));  // output twice
  EXPECT_FLOAT_EQ(out[3], 1.5f - (0.5f * 1 + 0.25f));   // output once
  EXPECT_FLOAT_EQ(out[4], 4.0f);                        // never seen
}

TEST(SamplerTest, RepetitionPenaltyCountsATokenSeenTwiceOnce) {
  SamplingParams p = Greedy();
  p.repetition_penalty = 2.0;
  const std::vector<int32_t> prompt = {0, 0};
  Sampler sampler(p, prompt, {});
  sampler.Record(0);
  EXPECT_FLOAT_EQ(sampler.Penalised(std::vector<float>{4, 1})[0], 2.0f);
}

TEST(SamplerTest, PenaltiesChangeTheGreedyChoice) {
  SamplingParams p = Greedy();
  p.presence_penalty = 1.0;
  Sampler sampler(p, {}, {});
  const std::vector<float> logits = {1.0f, 1.5f, 0.0f};
  EXPECT_EQ(sampler.Sample(logits).token, 1);
  EXPECT_EQ(sampler.Sample(logits).token, 0);  // 1.5 - 1 < 1
}

TEST(SamplerTest, MinTokensMasksStopIdsUntilReached) {
  SamplingParams p = Greedy();
  p.min_tokens = 2;
  Sampler sampler(p, {}, /*stop_ids=*/{3, 1});
  const std::vector<float> logits = {0, 5, 1, 9};
  EXPECT_EQ(sampler.Sample(logits).token, 2);
  EXPECT_EQ(sampler.Sample(logits).token, 2);
  EXPECT_EQ(sampler.Sample(logits).token, 3);
  EXPECT_EQ(sampler.num_outputs(), 3);
}

TEST(SamplingFiltersTest, TopKKeepsTheBestAndBreaksTiesByLowerId) {
  SamplingParams p;
  p.top_k = 2;
  EXPECT_EQ(Ids(FilterCandidates(std::vector<float>{1, 4, 3, 2}, p)), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(Ids(FilterCandidates(std::vector<float>{5, 1, 5, 5}, p)), (std::vector<int32_t>{0, 2}));
  p.top_k = 0;
  EXPECT_EQ(FilterCandidates(std::vector<float>{1, 4, 3, 2}, p).size(), 4u);
  p.top_k = -1;
  EXPECT_EQ(FilterCandidates(std::vector<float>{1, 4, 3, 2}, p).size(), 4u);
}

TEST(SamplingFiltersTest, TopPKeepsTheTokenThatCrossesTheLine) {
  const std::vector<float> logits = LogitsFor({0.15, 0.5, 0.05, 0.3});
  SamplingParams p;
  p.top_p = 0.75;  // 0.5 < 0.75, then 0.8 ≥ 0.75: ids 1 and 3
  EXPECT_EQ(Ids(FilterCandidates(logits, p)), (std::vector<int32_t>{1, 3}));
  p.top_p = 0.81;
  EXPECT_EQ(Ids(FilterCandidates(logits, p)), (std::vector<int32_t>{0, 1, 3}));
  p.top_p = 0.01;  // at least one
  EXPECT_EQ(Ids(FilterCandidates(logits, p)), (std::vector<int32_t>{1}));
}

TEST(SamplingFiltersTest, TopPWorksOverWhatTopKKept) {
  const std::vector<float> logits = LogitsFor({0.4, 0.3, 0.2, 0.1});
  SamplingParams p;
  p.top_p = 0.5;
  EXPECT_EQ(Ids(FilterCandidates(logits, p)), (std::vector<int32_t>{0, 1}));
  p.top_k = 2;  // renormalised: 4/7 ≥ 0.5 already
  EXPECT_EQ(Ids(FilterCandidates(logits, p)), (std::vector<int32_t>{0}));
}

TEST(SamplingFiltersTest, TopPOverALargeVocabularyGrowsItsSortedPrefix) {
  std::vector<float> logits(5000, 0.0f);  // flat: top_p 0.5 needs 2500 tokens
  SamplingParams p;
  p.top_p = 0.5;
  const std::vector<Candidate> kept = FilterCandidates(logits, p);
  EXPECT_EQ(kept.size(), 2500u);
  EXPECT_EQ(kept.front().id, 0);  // ties: lower ids first
  EXPECT_EQ(kept.back().id, 2499);
}

TEST(SamplingFiltersTest, MinPIsRelativeToTheBestToken) {
  const std::vector<float> logits = LogitsFor({0.5, 0.3, 0.15, 0.05});
  SamplingParams p;
  p.min_p = 0.5;  // relative probabilities 1, 0.6, 0.3, 0.1
  EXPECT_EQ(Ids(FilterCandidates(logits, p)), (std::vector<int32_t>{0, 1}));
  p.min_p = 0.2;
  EXPECT_EQ(Ids(FilterCandidates(logits, p)), (std::vector<int32_t>{0, 1, 2}));
}

TEST(SamplingFiltersTest, TemperatureComesBeforeTheFilters) {
  const std::vector<float> logits = LogitsFor({0.5, 0.3, 0.15, 0.05});
  SamplingParams p;
  p.min_p = 0.5;
  p.temperature = 4.0;  // flatter: (0.1)^(1/4) ≈ 0.56 ≥ 0.5 keeps every token
  const std::vector<Candidate> kept = FilterCandidates(logits, p);
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_FLOAT_EQ(kept[0].logit, logits[0] / 4.0f);
}

TEST(SamplingFiltersTest, MaskedTokensNeverSurvive) {
  SamplingParams p;
  EXPECT_EQ(Ids(FilterCandidates(std::vector<float>{-kInf, 1, -kInf}, p)),
            (std::vector<int32_t>{1}));
}

TEST(SamplerTest, ASeedGivesTheSameTokensEveryTime) {
  SamplingParams p;
  p.seed = 1234;
  std::vector<float> logits(100, 0.0f);  // uniform: every draw matters
  Sampler a(p, {}, {}), b(p, {}, {});
  p.seed = 4321;
  Sampler c(p, {}, {});
  std::vector<int32_t> ta, tb, tc;
  for (int i = 0; i < 50; ++i) {
    ta.push_back(a.Sample(logits).token);
    tb.push_back(b.Sample(logits).token);
    tc.push_back(c.Sample(logits).token);
  }
  EXPECT_EQ(ta, tb);
  EXPECT_NE(ta, tc);
}

TEST(SamplerTest, DrawsFollowTheFilteredDistribution) {
  SamplingParams p;
  p.seed = 99;
  p.top_k = 3;
  const std::vector<float> logits = LogitsFor({0.6, 0.2, 0.1, 0.1});
  Sampler sampler(p, {}, {});
  std::vector<int> counts(4, 0);
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) ++counts[static_cast<size_t>(sampler.Sample(logits).token)];
  // top_k 3 keeps 0, 1 and 2 (ties: lower id): renormalised 2/3, 2/9, 1/9.
  EXPECT_NEAR(counts[0] / double(draws), 2.0 / 3, 0.02);
  EXPECT_NEAR(counts[1] / double(draws), 2.0 / 9, 0.02);
  EXPECT_NEAR(counts[2] / double(draws), 1.0 / 9, 0.02);
  EXPECT_EQ(counts[3], 0);
}

TEST(LogprobsTest, MatchesAHandComputedLogSoftmax) {
  const std::vector<float> logits = {1, 2, 3, 0};
  const double log_z = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0) + std::exp(0.0));
  transformer::TokenLogprob lp = LogprobOf(logits, 1, 2);
  EXPECT_EQ(lp.token, 1);
  EXPECT_NEAR(lp.logprob, 2 - log_z, 1e-6);
  ASSERT_EQ(lp.top.size(), 2u);
  EXPECT_EQ(lp.top[0].first, 2);
  EXPECT_NEAR(lp.top[0].second, 3 - log_z, 1e-6);
  EXPECT_EQ(lp.top[1].first, 1);
  EXPECT_NEAR(lp.top[1].second, 2 - log_z, 1e-6);
  EXPECT_TRUE(LogprobOf(logits, 1, 0).top.empty());
}

TEST(LogprobsTest, ComeFromTheRawLogitsNotThePenalisedOnes) {
  SamplingParams p = Greedy();
  p.logprobs = 1;
  p.temperature = 0;
  p.presence_penalty = 5;
  Sampler sampler(p, {}, {});
  const std::vector<float> logits = {2, 1};
  sampler.Sample(logits);                        // 0
  SampledToken second = sampler.Sample(logits);  // 0 is penalised: 1
  EXPECT_EQ(second.token, 1);
  ASSERT_TRUE(second.logprob.has_value());
  const double log_z = std::log(std::exp(2.0) + std::exp(1.0));
  EXPECT_NEAR(second.logprob->logprob, 1 - log_z, 1e-6);
  ASSERT_EQ(second.logprob->top.size(), 1u);
  EXPECT_EQ(second.logprob->top[0].first, 0);
}

TEST(LogprobsTest, TopListBreaksTiesByLowerId) {
  const std::vector<float> logits = {1, 5, 5, 5};
  transformer::TokenLogprob lp = LogprobOf(logits, 0, 2);
  ASSERT_EQ(lp.top.size(), 2u);
  EXPECT_EQ(lp.top[0].first, 1);
  EXPECT_EQ(lp.top[1].first, 2);
}

}  // namespace
}  // namespace hai::engine
