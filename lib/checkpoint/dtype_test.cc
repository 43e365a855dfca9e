#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "lib/checkpoint/safetensors.h"

namespace hai::checkpoint {
namespace {

float Bits(uint32_t bits) { return std::bit_cast<float>(bits); }

TEST(DTypeTest, NamesSizesAndParsing) {
  EXPECT_EQ(DTypeName(DType::kBF16), "BF16");
  EXPECT_EQ(DTypeSize(DType::kF32), 4u);
  EXPECT_EQ(DTypeSize(DType::kF16), 2u);
  EXPECT_EQ(DTypeSize(DType::kI8), 1u);
  EXPECT_EQ(DTypeSize(DType::kI64), 8u);
  for (DType d : {DType::kF32, DType::kF16, DType::kBF16, DType::kI8, DType::kI32, DType::kI64}) {
    EXPECT_EQ(ParseDType(DTypeName(d)), d);
  }
  EXPECT_FALSE(ParseDType("F8_E4M3").has_value());
  EXPECT_FALSE(ParseDType("f32").has_value());
}

TEST(BFloat16Test, ExactValuesAndRounding) {
  EXPECT_EQ(FloatToBFloat16(1.0f), 0x3F80);
  EXPECT_EQ(FloatToBFloat16(-2.0f), 0xC000);
  EXPECT_EQ(FloatToBFloat16(0.0f), 0x0000);
  EXPECT_EQ(FloatToBFloat16(-0.0f), 0x8000);
  // Exactly halfway: ties go to the even neighbour.
  EXPECT_EQ(FloatToBFloat16(Bits(0x3F808000)), 0x3F80);
  EXPECT_EQ(FloatToBFloat16(Bits(0x3F818000)), 0x3F82);
  // Just past halfway rounds up, just below rounds down.
  EXPECT_EQ(FloatToBFloat16(Bits(0x3F808001)), 0x3F81);
  EXPECT_EQ(FloatToBFloat16(Bits(0x3F807FFF)), 0x3F80);
  // Carry into the exponent, and past the largest finite value to infinity.
  EXPECT_EQ(FloatToBFloat16(Bits(0x3FFFFFFF)), 0x4000);
  EXPECT_EQ(FloatToBFloat16(std::numeric_limits<float>::max()), 0x7F80);
  EXPECT_EQ(FloatToBFloat16(std::numeric_limits<float>::infinity()), 0x7F80);
  EXPECT_EQ(FloatToBFloat16(-std::numeric_limits<float>::infinity()), 0xFF80);
}

TEST(BFloat16Test, NanStaysNan) {
  // A signalling NaN whose payload lies only in the low bits must not
  // truncate to infinity.
  uint16_t low_payload = FloatToBFloat16(Bits(0x7F800001));
  EXPECT_TRUE(std::isnan(BFloat16ToFloat(low_payload)));
  EXPECT_TRUE(std::isnan(BFloat16ToFloat(FloatToBFloat16(std::nanf("")))));
  EXPECT_EQ(FloatToBFloat16(Bits(0xFFC00000)) & 0x8000, 0x8000);  // sign kept
}

TEST(BFloat16Test, EveryValueRoundTrips) {
  for (uint32_t b = 0; b <= 0xFFFF; ++b) {
    float f = BFloat16ToFloat(static_cast<uint16_t>(b));
    EXPECT_EQ(std::bit_cast<uint32_t>(f), b << 16);
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(BFloat16ToFloat(FloatToBFloat16(f))));
    } else {
      ASSERT_EQ(FloatToBFloat16(f), b) << std::hex << b;
    }
  }
}

TEST(HalfTest, ExactValues) {
  EXPECT_EQ(FloatToHalf(1.0f), 0x3C00);
  EXPECT_EQ(FloatToHalf(-2.0f), 0xC000);
  EXPECT_EQ(FloatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(FloatToHalf(65504.0f), 0x7BFF);
  EXPECT_EQ(FloatToHalf(0.333251953125f), 0x3555);
  EXPECT_EQ(HalfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(HalfToFloat(0x03FF), std::ldexp(1023.0f, -24));
  EXPECT_EQ(HalfToFloat(0x0400), std::ldexp(1.0f, -14));
  EXPECT_EQ(HalfToFloat(0x8001), -std::ldexp(1.0f, -24));
}

TEST(HalfTest, RoundsToNearestEven) {
  // Normal range: 1 + 2^-11 is halfway between 1 and 1 + 2^-10.
  EXPECT_EQ(FloatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
  EXPECT_EQ(FloatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  EXPECT_EQ(FloatToHalf(std::nextafter(1.0f + std::ldexp(1.0f, -11), 2.0f)), 0x3C01);
  // Overflow: 65519 rounds down to the largest half, 65520 (the tie) to inf.
  EXPECT_EQ(FloatToHalf(65519.0f), 0x7BFF);
  EXPECT_EQ(FloatToHalf(65520.0f), 0x7C00);
  EXPECT_EQ(FloatToHalf(-1e6f), 0xFC00);
  // Subnormals: 2^-25 is the tie between 0 and the smallest subnormal.
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -25)), 0x0000);
  EXPECT_EQ(FloatToHalf(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
  EXPECT_EQ(FloatToHalf(std::ldexp(3.0f, -25)), 0x0002);  // 1.5 units: to even 2
  EXPECT_EQ(FloatToHalf(std::ldexp(5.0f, -25)), 0x0002);  // 2.5 units: to even 2
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -30)), 0x0000);
  // The largest subnormal plus a half unit carries into the smallest normal.
  EXPECT_EQ(FloatToHalf(std::ldexp(2047.0f, -25)), 0x0400);
}

TEST(HalfTest, InfinityAndNan) {
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(FloatToHalf(-std::numeric_limits<float>::infinity()), 0xFC00);
  EXPECT_TRUE(std::isinf(HalfToFloat(0x7C00)));
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7E00)));
  uint16_t nan = FloatToHalf(Bits(0x7F800001));  // low payload only
  EXPECT_EQ(nan & 0x7C00, 0x7C00);
  EXPECT_NE(nan & 0x03FF, 0);
}

TEST(HalfTest, EveryValueRoundTrips) {
  for (uint32_t h = 0; h <= 0xFFFF; ++h) {
    float f = HalfToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(HalfToFloat(FloatToHalf(f))));
    } else {
      ASSERT_EQ(FloatToHalf(f), h) << std::hex << h;
    }
  }
}

TEST(ToFloatTest, ConvertsEveryDType) {
  auto view_of = [](DType dtype, const void* data, size_t bytes) {
    TensorView view;
    view.dtype = dtype;
    view.data = static_cast<const std::byte*>(data);
    view.size_bytes = bytes;
    return view;
  };
  const float f32[] = {1.5f, -2.0f};
  EXPECT_EQ(ToFloat(view_of(DType::kF32, f32, sizeof f32)), (std::vector<float>{1.5f, -2.0f}));
  const uint16_t f16[] = {0x3C00, 0xC000};
  EXPECT_EQ(ToFloat(view_of(DType::kF16, f16, sizeof f16)), (std::vector<float>{1.0f, -2.0f}));
  const uint16_t bf16[] = {0x3F80, 0x4040};
  EXPECT_EQ(ToFloat(view_of(DType::kBF16, bf16, sizeof bf16)), (std::vector<float>{1.0f, 3.0f}));
  const int8_t i8[] = {-128, 127};
  EXPECT_EQ(ToFloat(view_of(DType::kI8, i8, sizeof i8)), (std::vector<float>{-128.0f, 127.0f}));
  const int32_t i32[] = {-7};
  EXPECT_EQ(ToFloat(view_of(DType::kI32, i32, sizeof i32)), (std::vector<float>{-7.0f}));
  const int64_t i64[] = {1 << 20};
  EXPECT_EQ(ToFloat(view_of(DType::kI64, i64, sizeof i64)), (std::vector<float>{1048576.0f}));
  // Data one byte off its natural alignment (as a mapped file may give).
  alignas(4) unsigned char raw[9] = {};
  float value = 0.25f;
  std::memcpy(raw + 1, &value, 4);
  std::memcpy(raw + 5, &value, 4);
  EXPECT_EQ(ToFloat(view_of(DType::kF32, raw + 1, 8)), (std::vector<float>{0.25f, 0.25f}));
}

}  // namespace
}  // namespace hai::checkpoint
