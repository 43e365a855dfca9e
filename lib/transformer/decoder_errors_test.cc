// What DecoderModel refuses, and that a refused step changes nothing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/tensor_layout.h"
#include "lib/transformer/decoder_model.h"
#include "lib/transformer/test_models.h"

namespace hai::transformer {
namespace {

bool Mentions(const Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

TEST(DecoderLoadTest, NamesAMissingTensor) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(true, false);
  Weights weights = RandomWeights(config, 21);
  weights.erase("model.layers.1.mlp.up_proj.weight");
  auto model = LoadDecoder(config, weights);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), Code::kNotFound);
  EXPECT_TRUE(Mentions(model.status(), "model.layers.1.mlp.up_proj.weight"))
      << model.status().ToString();
}

TEST(DecoderLoadTest, NamesATensorOfTheWrongShape) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(true, false);
  const Weights weights = RandomWeights(config, 22);
  ScratchDir dir;
  checkpoint::SafetensorsWriter writer;
  for (const checkpoint::ExpectedTensor& t : checkpoint::ExpectedTensors(config)) {
    std::vector<int64_t> shape = t.shape;
    if (t.name == "model.layers.0.self_attn.k_proj.weight") shape = {t.shape[1], t.shape[0]};
    ASSERT_TRUE(writer.AddF32(t.name, shape, weights.at(t.name)).ok());
  }
  ASSERT_TRUE(writer.Write(dir.path() + "/model.safetensors").ok());
  auto tensors = checkpoint::TensorSet::Open(dir.path());
  ASSERT_TRUE(tensors.ok());
  auto model = DecoderModel::Load(config, *tensors, {});
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(Mentions(model.status(), "model.layers.0.self_attn.k_proj.weight"))
      << model.status().ToString();
}

TEST(DecoderLoadTest, RefusesAnEncoderOrAnInconsistentConfig) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(false, false);
  const Weights weights = RandomWeights(config, 23);
  checkpoint::ModelConfig bert = config;
  bert.arch = checkpoint::Arch::kBert;
  EXPECT_EQ(LoadDecoder(bert, weights).status().code(), Code::kInvalidArgument);
  checkpoint::ModelConfig odd_groups = config;
  odd_groups.num_kv_heads = 3;
  EXPECT_EQ(LoadDecoder(odd_groups, weights).status().code(), Code::kInvalidArgument);
  ModelOptions negative;
  negative.threads = -1;
  EXPECT_EQ(LoadDecoder(config, weights, negative).status().code(), Code::kInvalidArgument);
}

class DecoderStepErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = TinyDecoderConfig(false, true);
    weights_ = RandomWeights(config_, 24);
    auto model = LoadDecoder(config_, weights_);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    model_ = std::move(model).value();
    good_ = model_->NewCache();
    ASSERT_TRUE(StepAlone(*model_, *good_, prompt_).ok());
    ASSERT_TRUE(good_->Reserve(10).ok());
  }

  // `bad` fails beside a valid input, which must not have moved on.
  void ExpectRefused(const StepInput& bad, const std::string& text) {
    const std::vector<StepInput> batch = {{good_.get(), next_}, bad};
    auto out = model_->Step(batch);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), Code::kInvalidArgument);
    EXPECT_TRUE(Mentions(out.status(), text)) << out.status().ToString();
    EXPECT_EQ(good_->length(), 3);
  }

  checkpoint::ModelConfig config_;
  Weights weights_;
  std::unique_ptr<DecoderModel> model_;
  std::unique_ptr<KvCache> good_;
  const std::vector<int32_t> prompt_ = {1, 2, 3};
  const std::vector<int32_t> next_ = {4};
};

TEST_F(DecoderStepErrorTest, NoCache) { ExpectRefused({nullptr, next_}, "no KV cache"); }

TEST_F(DecoderStepErrorTest, NoTokens) {
  auto cache = model_->NewCache();
  ASSERT_TRUE(cache->Reserve(1).ok());
  ExpectRefused({cache.get(), {}}, "no tokens");
}

TEST_F(DecoderStepErrorTest, TokenOutsideTheVocabulary) {
  auto cache = model_->NewCache();
  ASSERT_TRUE(cache->Reserve(2).ok());
  const std::vector<int32_t> high = {5, 300}, negative = {-1};
  ExpectRefused({cache.get(), high}, "token id 300");
  ExpectRefused({cache.get(), negative}, "token id -1");
  EXPECT_EQ(cache->length(), 0);
}

TEST_F(DecoderStepErrorTest, NotReserved) {
  auto cache = model_->NewCache();
  ExpectRefused({cache.get(), prompt_}, "Reserve");
}

TEST_F(DecoderStepErrorTest, CacheOfAnotherModel) {
  auto other = LoadDecoder(config_, weights_);
  ASSERT_TRUE(other.ok());
  auto cache = (*other)->NewCache();
  ASSERT_TRUE(cache->Reserve(4).ok());
  ExpectRefused({cache.get(), next_}, "another model");
}

TEST_F(DecoderStepErrorTest, SameCacheTwice) { ExpectRefused({good_.get(), next_}, "twice"); }

// After the refusals the valid input still continues exactly as it would have.
TEST_F(DecoderStepErrorTest, RefusalLeavesTheCacheUsable) {
  ExpectRefused({nullptr, next_}, "no KV cache");
  auto continued = StepAlone(*model_, *good_, next_);
  ASSERT_TRUE(continued.ok());
  auto fresh = model_->NewCache();
  const std::vector<int32_t> all = {1, 2, 3, 4};
  auto whole = StepAlone(*model_, *fresh, all);
  ASSERT_TRUE(whole.ok());
  EXPECT_LT(MaxError(continued->logits, whole->logits), 1e-5);
}

TEST_F(DecoderStepErrorTest, ReserveBeyondTheContext) {
  auto cache = model_->NewCache();
  EXPECT_EQ(cache->Reserve(config_.max_position + 1).code(), Code::kInvalidArgument);
  EXPECT_EQ(cache->capacity(), 0);
  ASSERT_TRUE(cache->Reserve(config_.max_position).ok());
  EXPECT_EQ(cache->capacity(), config_.max_position);
  EXPECT_EQ(cache->bytes(), config_.max_position * model_->KvBytesPerToken());
}

TEST_F(DecoderStepErrorTest, EmptyBatchIsFine) {
  auto out = model_->Step({});
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty());
}

}  // namespace
}  // namespace hai::transformer
