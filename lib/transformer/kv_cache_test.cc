#include "lib/transformer/kv_cache.h"

#include <gtest/gtest.h>

namespace hai::transformer {
namespace {

KvCacheShape SmallShape(ComputeType dtype = ComputeType::kF32) {
  return {/*layers=*/2, /*kv_heads=*/2, /*head_dim=*/16, /*max_tokens=*/200, dtype};
}

TEST(KvCacheTest, StartsEmpty) {
  DecoderKvCache cache(0, SmallShape());
  EXPECT_EQ(cache.length(), 0);
  EXPECT_EQ(cache.capacity(), 0);
  EXPECT_EQ(cache.bytes(), 0);
}

TEST(KvCacheTest, BytesPerToken) {
  EXPECT_EQ(SmallShape().BytesPerToken(), 2 * 2 * 2 * 16 * 4);
  EXPECT_EQ(SmallShape(ComputeType::kBF16).BytesPerToken(), 2 * 2 * 2 * 16 * 2);
}

// 64-token steps, at least 25 % more each time, capped at the context.
TEST(KvCacheTest, GrowsInStepsUpToTheContext) {
  DecoderKvCache cache(0, SmallShape());
  ASSERT_TRUE(cache.Reserve(5).ok());
  EXPECT_EQ(cache.capacity(), 64);
  EXPECT_EQ(cache.bytes(), 64 * SmallShape().BytesPerToken());
  ASSERT_TRUE(cache.Reserve(64).ok());
  EXPECT_EQ(cache.capacity(), 64);
  ASSERT_TRUE(cache.Reserve(65).ok());
  EXPECT_EQ(cache.capacity(), 128);
  ASSERT_TRUE(cache.Reserve(129).ok());  // 128 · 1.25 = 160 → 192
  EXPECT_EQ(cache.capacity(), 192);
  ASSERT_TRUE(cache.Reserve(193).ok());  // 240 → 256, capped at 200
  EXPECT_EQ(cache.capacity(), 200);
  EXPECT_EQ(cache.bytes(), 200 * SmallShape().BytesPerToken());
  ASSERT_TRUE(cache.Reserve(10).ok());  // never shrinks
  EXPECT_EQ(cache.capacity(), 200);
}

TEST(KvCacheTest, RefusesBeyondTheContext) {
  DecoderKvCache cache(0, SmallShape());
  Status s = cache.Reserve(201);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("200"), std::string::npos) << s.message();
  EXPECT_EQ(cache.capacity(), 0);
  EXPECT_EQ(cache.Reserve(-1).code(), Code::kInvalidArgument);
  EXPECT_TRUE(cache.Reserve(200).ok());
}

TEST(KvCacheTest, TruncateOnlyShortens) {
  DecoderKvCache cache(0, SmallShape());
  ASSERT_TRUE(cache.Reserve(10).ok());
  cache.Advance(10);
  cache.Truncate(20);
  EXPECT_EQ(cache.length(), 10);
  cache.Truncate(4);
  EXPECT_EQ(cache.length(), 4);
  cache.Truncate(-3);
  EXPECT_EQ(cache.length(), 0);
  EXPECT_EQ(cache.capacity(), 64);  // memory stays for reuse
}

}  // namespace
}  // namespace hai::transformer
