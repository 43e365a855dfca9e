#include "lib/transformer/encoder_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lib/checkpoint/tensor_layout.h"
#include "lib/transformer/reference_model.h"
#include "lib/transformer/test_models.h"

namespace hai::transformer {
namespace {

constexpr double kReferenceTolerance = 1e-4;

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * b[i];
    na += double(a[i]) * a[i];
    nb += double(b[i]) * b[i];
  }
  return dot / std::sqrt(na * nb);
}

// Three lengths in one call, so padding and its mask are exercised.
std::vector<std::vector<int32_t>> Inputs() {
  TestRandom random(41);
  return {RandomTokens(random, 5, 300), RandomTokens(random, 12, 300),
          RandomTokens(random, 1, 300)};
}

TEST(EncoderModelTest, EmbeddingsMatchReference) {
  const checkpoint::ModelConfig config = TinyEncoderConfig(0);
  const Weights weights = RandomWeights(config, 42);
  auto model = LoadEncoder(config, weights);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ReferenceEncoder reference(config, weights);
  const auto inputs = Inputs();
  for (Pooling pooling : {Pooling::kMean, Pooling::kCls}) {
    auto vectors = (*model)->Embed(inputs, pooling);
    ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
    ASSERT_EQ(vectors->size(), inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      EXPECT_LT(MaxError((*vectors)[i], reference.Embed(inputs[i], pooling)), kReferenceTolerance)
          << "input " << i << (pooling == Pooling::kCls ? " cls" : " mean");
      double norm = 0;
      for (float v : (*vectors)[i]) norm += double(v) * v;
      EXPECT_NEAR(norm, 1.0, 1e-5);
    }
  }
}

TEST(EncoderModelTest, BatchEqualsEachAlone) {
  const checkpoint::ModelConfig config = TinyEncoderConfig(0);
  auto model = LoadEncoder(config, RandomWeights(config, 43));
  ASSERT_TRUE(model.ok());
  const auto inputs = Inputs();
  auto together = (*model)->Embed(inputs, Pooling::kMean);
  ASSERT_TRUE(together.ok());
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto alone = (*model)->Embed({&inputs[i], 1}, Pooling::kMean);
    ASSERT_TRUE(alone.ok());
    EXPECT_LT(MaxError((*together)[i], alone->front()), 1e-5);
  }
}

std::vector<EncoderModel::Pair> Pairs() {
  TestRandom random(44);
  std::vector<EncoderModel::Pair> pairs;
  for (int query : {3, 6}) {
    for (int document : {2, 9}) {
      EncoderModel::Pair pair;
      pair.tokens = RandomTokens(random, query + document, 300);
      pair.token_types.assign(static_cast<size_t>(query), 0);
      pair.token_types.resize(static_cast<size_t>(query + document), 1);
      pairs.push_back(std::move(pair));
    }
  }
  return pairs;
}

class RerankTest : public ::testing::TestWithParam<int> {};

// One label: that logit; several: the last label's.
TEST_P(RerankTest, ScoresMatchReference) {
  const checkpoint::ModelConfig config = TinyEncoderConfig(GetParam());
  const Weights weights = RandomWeights(config, 45);
  auto model = LoadEncoder(config, weights);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const auto pairs = Pairs();
  auto scores = (*model)->Score(pairs);
  ASSERT_TRUE(scores.ok()) << scores.status().ToString();
  ASSERT_EQ(scores->size(), pairs.size());
  const ReferenceEncoder reference(config, weights);
  for (size_t i = 0; i < pairs.size(); ++i) {
    const float want = reference.Logits(pairs[i].tokens, pairs[i].token_types).back();
    EXPECT_NEAR((*scores)[i], want, kReferenceTolerance * std::max(1.0f, std::fabs(want)));
  }
}

INSTANTIATE_TEST_SUITE_P(Labels, RerankTest, ::testing::Values(1, 2));

// BertForSequenceClassification stores "bert."-prefixed names.
TEST(EncoderModelTest, AcceptsBertPrefix) {
  const checkpoint::ModelConfig config = TinyEncoderConfig(1);
  const Weights weights = RandomWeights(config, 46);
  auto plain = LoadEncoder(config, weights);
  auto prefixed = LoadEncoder(config, weights, {}, checkpoint::BertPrefixed);
  ASSERT_TRUE(plain.ok() && prefixed.ok()) << prefixed.status().ToString();
  const auto pairs = Pairs();
  auto a = (*plain)->Score(pairs);
  auto b = (*prefixed)->Score(pairs);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(EncoderModelTest, ReducedPrecisionStaysClose) {
  const checkpoint::ModelConfig config = TinyEncoderConfig(0);
  const Weights weights = RandomWeights(config, 47);
  auto f32 = LoadEncoder(config, weights);
  ASSERT_TRUE(f32.ok());
  const auto inputs = Inputs();
  auto want = (*f32)->Embed(inputs, Pooling::kMean);
  ASSERT_TRUE(want.ok());
  for (ModelOptions options :
       {ModelOptions{ComputeType::kBF16}, ModelOptions{ComputeType::kF32, true}}) {
    auto model = LoadEncoder(config, weights, options);
    ASSERT_TRUE(model.ok());
    auto got = (*model)->Embed(inputs, Pooling::kMean);
    ASSERT_TRUE(got.ok());
    for (size_t i = 0; i < inputs.size(); ++i) EXPECT_GT(Cosine((*got)[i], (*want)[i]), 0.99);
  }
}

TEST(EncoderModelTest, RefusesBadInput) {
  const checkpoint::ModelConfig config = TinyEncoderConfig(1);
  auto model = LoadEncoder(config, RandomWeights(config, 48));
  ASSERT_TRUE(model.ok());
  const std::vector<std::vector<int32_t>> empty = {{}}, too_long = {std::vector<int32_t>(65, 1)},
                                          bad_token = {{1, 300}};
  EXPECT_EQ((*model)->Embed(empty, Pooling::kMean).status().code(), Code::kInvalidArgument);
  EXPECT_EQ((*model)->Embed(too_long, Pooling::kMean).status().code(), Code::kInvalidArgument);
  EXPECT_EQ((*model)->Embed(bad_token, Pooling::kMean).status().code(), Code::kInvalidArgument);
  const std::vector<EncoderModel::Pair> bad_type = {{{1, 2}, {0, 2}}},
                                        short_types = {{{1, 2}, {0}}};
  EXPECT_EQ((*model)->Score(bad_type).status().code(), Code::kInvalidArgument);
  EXPECT_EQ((*model)->Score(short_types).status().code(), Code::kInvalidArgument);
  auto none = (*model)->Embed({}, Pooling::kMean);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(EncoderModelTest, ScoreNeedsAClassificationHead) {
  const checkpoint::ModelConfig config = TinyEncoderConfig(0);
  auto model = LoadEncoder(config, RandomWeights(config, 49));
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->Score(Pairs()).status().code(), Code::kFailedPrecondition);
}

TEST(EncoderModelTest, LoadNamesAMissingTensor) {
  const checkpoint::ModelConfig config = TinyEncoderConfig(1);
  Weights weights = RandomWeights(config, 50);
  weights.erase("encoder.layer.1.attention.self.key.bias");
  auto model = LoadEncoder(config, weights);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("encoder.layer.1.attention.self.key.bias"),
            std::string::npos)
      << model.status().ToString();
  checkpoint::ModelConfig llama = TinyDecoderConfig(false, false);
  EXPECT_EQ(LoadEncoder(llama, weights).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace hai::transformer
