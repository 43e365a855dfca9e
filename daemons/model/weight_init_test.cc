#include "daemons/model/weight_init.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>

namespace hai::model {
namespace {

using checkpoint::DType;
using checkpoint::ExpectedTensor;
using checkpoint::TensorRole;

TEST(PortableMathTest, LogMatchesLibm) {
  for (double x : {1.0, 0.5, 0.75, 0.1, 1e-3, 1e-10, 0x1.0p-53, 0.999999, 0.7071, 0.70710678}) {
    EXPECT_NEAR(PortableLog(x), std::log(x), 4e-16 * std::max(1.0, std::fabs(std::log(x)))) << x;
  }
  EXPECT_EQ(PortableLog(1.0), 0.0);
}

TEST(PortableMathTest, SinCosMatchLibm) {
  for (int i = 0; i < 1000; ++i) {
    double turns = i / 1000.0;
    double s, c;
    PortableSinCosTurns(turns, &s, &c);
    EXPECT_NEAR(s, std::sin(2 * M_PI * turns), 1e-15) << turns;
    EXPECT_NEAR(c, std::cos(2 * M_PI * turns), 1e-15) << turns;
  }
  double s, c;
  PortableSinCosTurns(0.25, &s, &c);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(c, 0.0);
}

TEST(NormalSamplerTest, StandardNormal) {
  NormalSampler sampler(7, "model.embed_tokens.weight");
  constexpr int kCount = 200000;
  double sum = 0, squares = 0;
  int beyond_two = 0;
  for (int i = 0; i < kCount; ++i) {
    double z = sampler.Next();
    sum += z;
    squares += z * z;
    if (std::fabs(z) > 2) ++beyond_two;
  }
  const double mean = sum / kCount;
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(squares / kCount - mean * mean, 1.0, 0.02);
  EXPECT_NEAR(static_cast<double>(beyond_two) / kCount, 0.0455, 0.003);  // P(|Z| > 2)
}

TEST(NormalSamplerTest, StreamsDependOnSeedAndName) {
  auto first = [](uint64_t seed, const char* name) {
    NormalSampler s(seed, name);
    std::vector<double> out;
    for (int i = 0; i < 4; ++i) out.push_back(s.Next());
    return out;
  };
  EXPECT_EQ(first(1, "a"), first(1, "a"));
  EXPECT_NE(first(1, "a"), first(2, "a"));
  EXPECT_NE(first(1, "a"), first(1, "b"));
}

TEST(NormalSamplerTest, PinnedValues) {
  // These bits are part of hai-model init's output: a change here changes
  // every checkpoint it makes. Update only on purpose.
  NormalSampler s(0, "w");
  std::vector<uint64_t> bits;
  for (int i = 0; i < 3; ++i) bits.push_back(std::bit_cast<uint64_t>(s.Next()));
  EXPECT_EQ(bits, (std::vector<uint64_t>{0x3fe84b46d325778bull, 0x3fd2ddb1d3097a31ull,
                                         0xbfe14b379dcc0a38ull}));
}

TEST(InitialWeightsTest, RolesAndDTypes) {
  ExpectedTensor norm{"n.weight", {3}, TensorRole::kNormWeight};
  ExpectedTensor norm_bias{"n.bias", {3}, TensorRole::kNormBias};
  ExpectedTensor linear{"l.weight", {64, 32}, TensorRole::kLinearWeight};

  std::vector<std::byte> ones = InitialWeights(norm, DType::kF32, 1);
  ASSERT_EQ(ones.size(), 12u);
  float value;
  std::memcpy(&value, &ones[8], 4);
  EXPECT_EQ(value, 1.0f);
  std::vector<std::byte> ones_bf16 = InitialWeights(norm, DType::kBF16, 1);
  uint16_t half;
  std::memcpy(&half, &ones_bf16[2], 2);
  EXPECT_EQ(half, 0x3F80);
  std::memcpy(&half, &InitialWeights(norm, DType::kF16, 1)[0], 2);
  EXPECT_EQ(half, 0x3C00);
  for (std::byte b : InitialWeights(norm_bias, DType::kF32, 1)) EXPECT_EQ(b, std::byte{0});

  std::vector<std::byte> f32 = InitialWeights(linear, DType::kF32, 9);
  std::vector<std::byte> bf16 = InitialWeights(linear, DType::kBF16, 9);
  ASSERT_EQ(f32.size(), 64u * 32 * 4);
  ASSERT_EQ(bf16.size(), 64u * 32 * 2);
  double squares = 0;
  for (size_t i = 0; i < 64 * 32; ++i) {
    std::memcpy(&value, &f32[i * 4], 4);
    std::memcpy(&half, &bf16[i * 2], 2);
    EXPECT_EQ(half, checkpoint::FloatToBFloat16(value));  // same draws, rounded
    squares += double{value} * value;
  }
  EXPECT_NEAR(std::sqrt(squares / (64 * 32)), 0.02, 0.002);
  EXPECT_EQ(InitialWeights(linear, DType::kF32, 9), f32);
  EXPECT_NE(InitialWeights(linear, DType::kF32, 10), f32);
}

}  // namespace
}  // namespace hai::model
