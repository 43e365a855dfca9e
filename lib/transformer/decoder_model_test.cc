#include "lib/transformer/decoder_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/tensor_layout.h"
#include "lib/transformer/f32_matmul.h"
#include "lib/transformer/reference_model.h"
#include "lib/transformer/test_models.h"

namespace hai::transformer {
namespace {

// f32 against the plain-loop reference (which accumulates in double).
constexpr double kReferenceTolerance = 1e-4;
// The same model computing the same thing in a different grouping (cached
// vs. recomputed, batched vs. alone): only rounding differs.
constexpr double kSameModelTolerance = 1e-5;

std::vector<int32_t> Slice(const std::vector<int32_t>& v, size_t begin, size_t end) {
  return {v.begin() + static_cast<ptrdiff_t>(begin), v.begin() + static_cast<ptrdiff_t>(end)};
}

struct Variant {
  bool bias;
  bool tied;
};

class DecoderVariantTest : public ::testing::TestWithParam<Variant> {};

// One prefill of a sequence: its last logits and its prompt logprobs equal
// the reference's, with and without q/k/v bias, tied and untied.
TEST_P(DecoderVariantTest, PrefillMatchesReference) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(GetParam().bias, GetParam().tied);
  const Weights weights = RandomWeights(config, 11);
  auto model = LoadDecoder(config, weights);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  TestRandom random(3);
  const std::vector<int32_t> tokens = RandomTokens(random, 13, config.vocab_size);
  const Matrix want = ReferenceDecoder(config, weights).Logits(tokens);

  auto cache = (*model)->NewCache();
  auto out = StepAlone(**model, *cache, tokens, /*prompt_top_n=*/3);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_LT(MaxError(out->logits, want.back()), kReferenceTolerance);
  EXPECT_EQ(cache->length(), 13);

  ASSERT_EQ(out->prompt_logprobs.size(), tokens.size() - 1);
  for (size_t j = 0; j + 1 < tokens.size(); ++j) {
    const std::vector<float> logprobs = LogSoftmax(want[j]);
    const TokenLogprob& got = out->prompt_logprobs[j];
    EXPECT_EQ(got.token, tokens[j + 1]);
    EXPECT_NEAR(got.logprob, logprobs[static_cast<size_t>(tokens[j + 1])], kReferenceTolerance);
    ASSERT_EQ(got.top.size(), 3u);
    EXPECT_EQ(got.top[0].first, ArgMax(logprobs));
    for (size_t t = 0; t < got.top.size(); ++t) {
      EXPECT_NEAR(got.top[t].second, logprobs[static_cast<size_t>(got.top[t].first)],
                  kReferenceTolerance);
      if (t > 0) {
        EXPECT_GE(got.top[t - 1].second, got.top[t].second);
      }
    }
  }
}

// Prefill a few tokens, then decode one at a time across the cache's first
// growth (64 tokens): every step's logits equal the reference's for the
// sequence so far, and the last equal one prefill of the whole sequence.
TEST_P(DecoderVariantTest, CachedDecodeEqualsFullRecompute) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(GetParam().bias, GetParam().tied);
  const Weights weights = RandomWeights(config, 12);
  auto model = LoadDecoder(config, weights);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  TestRandom random(4);
  const std::vector<int32_t> tokens = RandomTokens(random, 70, config.vocab_size);
  const Matrix want = ReferenceDecoder(config, weights).Logits(tokens);

  auto cache = (*model)->NewCache();
  auto first = StepAlone(**model, *cache, Slice(tokens, 0, 5));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_LT(MaxError(first->logits, want[4]), kReferenceTolerance);
  std::vector<float> last;
  for (size_t i = 5; i < tokens.size(); ++i) {
    auto step = StepAlone(**model, *cache, Slice(tokens, i, i + 1));
    ASSERT_TRUE(step.ok()) << step.status().ToString();
    EXPECT_LT(MaxError(step->logits, want[i]), kReferenceTolerance) << "position " << i;
    last = step->logits;
  }
  EXPECT_EQ(cache->length(), 70);
  EXPECT_EQ(cache->capacity(), 128);

  auto whole_cache = (*model)->NewCache();
  auto whole = StepAlone(**model, *whole_cache, tokens);
  ASSERT_TRUE(whole.ok());
  EXPECT_LT(MaxError(last, whole->logits), kSameModelTolerance);
}

// Prefill in chunks, only the last asking for logits.
TEST_P(DecoderVariantTest, ChunkedPrefillEqualsOnePrefill) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(GetParam().bias, GetParam().tied);
  const Weights weights = RandomWeights(config, 13);
  auto model = LoadDecoder(config, weights);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  TestRandom random(5);
  const std::vector<int32_t> tokens = RandomTokens(random, 24, config.vocab_size);
  const Matrix want = ReferenceDecoder(config, weights).Logits(tokens);

  auto cache = (*model)->NewCache();
  ASSERT_TRUE(cache->Reserve(24).ok());
  const std::vector<size_t> ends = {3, 4, 11, 24};
  size_t begin = 0;
  StepOutput out;
  for (size_t end : ends) {
    const std::vector<int32_t> chunk = Slice(tokens, begin, end);
    const StepInput input{cache.get(), chunk, -1, /*want_logits=*/end == 24};
    auto step = (*model)->Step({&input, 1});
    ASSERT_TRUE(step.ok()) << step.status().ToString();
    out = std::move(step->front());
    if (end != 24) {
      EXPECT_TRUE(out.logits.empty());
    }
    begin = end;
  }
  EXPECT_LT(MaxError(out.logits, want.back()), kReferenceTolerance);
  auto whole_cache = (*model)->NewCache();
  auto whole = StepAlone(**model, *whole_cache, tokens);
  ASSERT_TRUE(whole.ok());
  EXPECT_LT(MaxError(out.logits, whole->logits), kSameModelTolerance);
}

INSTANTIATE_TEST_SUITE_P(Variants, DecoderVariantTest,
                         ::testing::Values(Variant{false, false}, Variant{false, true},
                                           Variant{true, false}, Variant{true, true}),
                         [](const ::testing::TestParamInfo<Variant>& variant) {
                           return std::string(variant.param.bias ? "Bias" : "NoBias") +
                                  (variant.param.tied ? "Tied" : "Untied");
                         });

// Four sequences in one step — two prefilling from scratch, one continuing
// with a chunk, one decoding — give what each gives alone, and leave their
// caches in the same state (the next decode agrees too).
TEST(DecoderModelTest, RaggedBatchEqualsEachAlone) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(true, false);
  const Weights weights = RandomWeights(config, 14);
  auto loaded = LoadDecoder(config, weights);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  DecoderModel& model = **loaded;
  TestRandom random(6);
  struct Sequence {
    std::vector<int32_t> history;  // already in the cache before the step
    std::vector<int32_t> step;     // the step's tokens
  };
  const std::vector<Sequence> sequences = {
      {{}, RandomTokens(random, 9, 300)},
      {RandomTokens(random, 6, 300), RandomTokens(random, 1, 300)},
      {RandomTokens(random, 3, 300), RandomTokens(random, 5, 300)},
      {{}, RandomTokens(random, 1, 300)},
  };
  const std::vector<int32_t> next = {17, 42, 99, 250};

  std::vector<std::vector<float>> alone, alone_next;
  for (size_t i = 0; i < sequences.size(); ++i) {
    auto cache = model.NewCache();
    if (!sequences[i].history.empty()) {
      ASSERT_TRUE(StepAlone(model, *cache, sequences[i].history).ok());
    }
    auto out = StepAlone(model, *cache, sequences[i].step);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    alone.push_back(out->logits);
    auto after = StepAlone(model, *cache, {&next[i], 1});
    ASSERT_TRUE(after.ok());
    alone_next.push_back(after->logits);
  }

  std::vector<std::unique_ptr<KvCache>> caches;
  std::vector<StepInput> batch;
  for (size_t i = 0; i < sequences.size(); ++i) {
    caches.push_back(model.NewCache());
    if (!sequences[i].history.empty()) {
      ASSERT_TRUE(StepAlone(model, *caches[i], sequences[i].history).ok());
    }
    ASSERT_TRUE(caches[i]->Reserve(caches[i]->length() + 8).ok());
    batch.push_back({caches[i].get(), sequences[i].step});
  }
  auto together = model.Step(batch);
  ASSERT_TRUE(together.ok()) << together.status().ToString();
  ASSERT_EQ(together->size(), sequences.size());
  for (size_t i = 0; i < sequences.size(); ++i) {
    EXPECT_LT(MaxError((*together)[i].logits, alone[i]), kSameModelTolerance) << "sequence " << i;
    EXPECT_EQ(caches[i]->length(),
              static_cast<int64_t>(sequences[i].history.size() + sequences[i].step.size()));
    batch[i].tokens = {&next[i], 1};
  }
  auto decoded = model.Step(batch);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  for (size_t i = 0; i < sequences.size(); ++i)
    EXPECT_LT(MaxError((*decoded)[i].logits, alone_next[i]), kSameModelTolerance)
        << "sequence " << i;
}

// Prompt logprobs without logits, beside an input that wants neither; the
// prompt is long enough to be scored in several blocks of rows.
TEST(DecoderModelTest, PromptLogprobsWithoutLogits) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(false, true);
  const Weights weights = RandomWeights(config, 15);
  auto loaded = LoadDecoder(config, weights);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  TestRandom random(7);
  const std::vector<int32_t> a = RandomTokens(random, 140, 300), b = RandomTokens(random, 4, 300);
  const Matrix want = ReferenceDecoder(config, weights).Logits(a);
  auto cache_a = (*loaded)->NewCache(), cache_b = (*loaded)->NewCache();
  ASSERT_TRUE(cache_a->Reserve(140).ok());
  ASSERT_TRUE(cache_b->Reserve(4).ok());
  const std::vector<StepInput> batch = {{cache_a.get(), a, /*prompt_top_n=*/0, false},
                                        {cache_b.get(), b, -1, false}};
  auto out = (*loaded)->Step(batch);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE((*out)[0].logits.empty());
  EXPECT_TRUE((*out)[1].logits.empty());
  EXPECT_TRUE((*out)[1].prompt_logprobs.empty());
  ASSERT_EQ((*out)[0].prompt_logprobs.size(), 139u);
  for (size_t j = 0; j < 139; ++j) {
    const TokenLogprob& got = (*out)[0].prompt_logprobs[j];
    EXPECT_EQ(got.token, a[j + 1]);
    EXPECT_TRUE(got.top.empty());
    EXPECT_NEAR(got.logprob, LogSoftmax(want[j])[static_cast<size_t>(a[j + 1])],
                kReferenceTolerance)
        << "position " << j;
  }
  EXPECT_EQ(cache_a->length(), 140);
  EXPECT_EQ(cache_b->length(), 4);
}

// Half-precision weights in the checkpoint are widened on load: the model
// equals the reference run on the rounded values.
TEST(DecoderModelTest, LoadsBf16Checkpoint) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(true, false);
  Weights weights = RandomWeights(config, 16);
  ScratchDir dir;
  ASSERT_TRUE(WriteCheckpoint(config, weights, dir.path(), /*bf16=*/true).ok());
  for (auto& [name, values] : weights)
    for (float& v : values) v = checkpoint::BFloat16ToFloat(checkpoint::FloatToBFloat16(v));
  auto tensors = checkpoint::TensorSet::Open(dir.path());
  ASSERT_TRUE(tensors.ok()) << tensors.status().ToString();
  auto model = DecoderModel::Load(config, *tensors, {});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  TestRandom random(8);
  const std::vector<int32_t> tokens = RandomTokens(random, 7, 300);
  auto cache = (*model)->NewCache();
  auto out = StepAlone(**model, *cache, tokens);
  ASSERT_TRUE(out.ok());
  EXPECT_LT(MaxError(out->logits, ReferenceDecoder(config, weights).Logits(tokens).back()),
            kReferenceTolerance);
}

TEST(DecoderModelTest, ReportsSizes) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(true, false);
  const Weights weights = RandomWeights(config, 17);
  int64_t elements = 0;
  for (const auto& [name, values] : weights) elements += static_cast<int64_t>(values.size());

  // f32 matrices are held in panels of 16 rows; of the tiny model's, only
  // the vocabulary-sized ones (300 rows) need padding rows.
  const int64_t vocab_padding = (PackedF32Floats(300, 64) - 300 * 64) * 4;
  auto f32 = LoadDecoder(config, weights);
  ASSERT_TRUE(f32.ok());
  EXPECT_EQ((*f32)->WeightBytes(), elements * 4 + 2 * vocab_padding);
  EXPECT_EQ((*f32)->KvBytesPerToken(), 2 * 2 * 2 * 16 * 4);
  EXPECT_EQ((*f32)->config().vocab_size, 300);

  auto bf16 = LoadDecoder(config, weights, {ComputeType::kBF16});
  ASSERT_TRUE(bf16.ok());
  EXPECT_EQ((*bf16)->WeightBytes(), elements * 2);
  EXPECT_EQ((*bf16)->KvBytesPerToken(), 2 * 2 * 2 * 16 * 2);

  // int8: one byte per matrix element plus an f32 scale per row; norms and
  // biases stay f32.
  auto int8 = LoadDecoder(config, weights, {ComputeType::kF32, /*int8_weights=*/true});
  ASSERT_TRUE(int8.ok());
  int64_t matrix = 0, rows = 0, vectors = 0;
  for (const auto& t : checkpoint::ExpectedTensors(config)) {
    if (t.shape.size() == 2) {
      matrix += t.shape[0] * t.shape[1];
      rows += t.shape[0];
    } else {
      vectors += t.shape[0];
    }
  }
  EXPECT_EQ((*int8)->WeightBytes(), matrix + rows * 4 + vectors * 4);
  EXPECT_LT((*int8)->WeightBytes() * 3, (*f32)->WeightBytes());

  // Tied: the embedding is counted once.
  const checkpoint::ModelConfig tied = TinyDecoderConfig(false, true);
  const Weights tied_weights = RandomWeights(tied, 17);
  int64_t tied_elements = 0;
  for (const auto& [name, values] : tied_weights)
    tied_elements += static_cast<int64_t>(values.size());
  auto tied_model = LoadDecoder(tied, tied_weights);
  ASSERT_TRUE(tied_model.ok());
  EXPECT_EQ((*tied_model)->WeightBytes(), tied_elements * 4 + vocab_padding);
}

}  // namespace
}  // namespace hai::transformer
