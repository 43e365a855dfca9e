// bf16 compute and int8 weights against f32 on the same weights: close, not
// equal. The measured errors are printed for the record.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <vector>

#include "lib/transformer/decoder_model.h"
#include "lib/transformer/test_models.h"

namespace hai::transformer {
namespace {

struct Drift {
  double max_error = 0;  // largest |logit − f32 logit| / max(1, |f32 logit|)
  int argmax_same = 0;   // steps whose best token agrees with f32
  int steps = 0;
};

// A 24-token prefill (more tokens than the int8 kernel takes, so the
// dequantising path runs) and 8 decode steps, each compared with f32.
Drift Compare(const ModelOptions& options) {
  const checkpoint::ModelConfig config = TinyDecoderConfig(true, false);
  const Weights weights = RandomWeights(config, 31);
  auto f32 = LoadDecoder(config, weights);
  auto other = LoadDecoder(config, weights, options);
  EXPECT_TRUE(f32.ok() && other.ok());
  Drift drift;
  if (!f32.ok() || !other.ok()) return drift;
  TestRandom random(9);
  const std::vector<int32_t> tokens = RandomTokens(random, 32, config.vocab_size);
  auto cache_f32 = (*f32)->NewCache(), cache_other = (*other)->NewCache();
  for (size_t begin = 0; begin < tokens.size(); begin = begin == 0 ? 24 : begin + 1) {
    const std::span<const int32_t> chunk(tokens.data() + begin, begin == 0 ? 24 : 1);
    auto want = StepAlone(**f32, *cache_f32, chunk);
    auto got = StepAlone(**other, *cache_other, chunk);
    EXPECT_TRUE(want.ok() && got.ok());
    if (!want.ok() || !got.ok()) return drift;
    drift.max_error = std::max(drift.max_error, MaxError(got->logits, want->logits));
    drift.argmax_same += ArgMax(got->logits) == ArgMax(want->logits) ? 1 : 0;
    ++drift.steps;
  }
  return drift;
}

TEST(DecoderPrecisionTest, Bf16CloseToF32) {
  const Drift drift = Compare({ComputeType::kBF16});
  std::cout << "bf16 vs f32: max logit error " << drift.max_error << ", argmax agrees "
            << drift.argmax_same << "/" << drift.steps << "\n";
  EXPECT_LT(drift.max_error, 0.15);
  EXPECT_GE(drift.argmax_same, drift.steps - 2);
}

TEST(DecoderPrecisionTest, Int8WeightsCloseToF32) {
  const Drift drift = Compare({ComputeType::kF32, /*int8_weights=*/true});
  std::cout << "int8 weights vs f32: max logit error " << drift.max_error << ", argmax agrees "
            << drift.argmax_same << "/" << drift.steps << "\n";
  EXPECT_LT(drift.max_error, 0.15);
  EXPECT_GE(drift.argmax_same, drift.steps - 2);
}

TEST(DecoderPrecisionTest, Int8WeightsWithBf16) {
  const Drift drift = Compare({ComputeType::kBF16, /*int8_weights=*/true});
  std::cout << "int8 weights + bf16 vs f32: max logit error " << drift.max_error
            << ", argmax agrees " << drift.argmax_same << "/" << drift.steps << "\n";
  EXPECT_LT(drift.max_error, 0.25);
  EXPECT_GE(drift.argmax_same, drift.steps - 3);
}

}  // namespace
}  // namespace hai::transformer
