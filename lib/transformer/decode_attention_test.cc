#include "lib/transformer/decode_attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "lib/checkpoint/safetensors.h"
#include "lib/transformer/test_models.h"

namespace hai::transformer {
namespace {

// softmax(q·kᵀ·scale)·v in double over rows `keys`/`values` [len, d].
std::vector<double> Naive(const std::vector<float>& q, const std::vector<float>& keys,
                          const std::vector<float>& values, int64_t len, int64_t d, double scale) {
  std::vector<double> p(static_cast<size_t>(len)), out(static_cast<size_t>(d), 0.0);
  double top = -INFINITY, total = 0;
  for (int64_t s = 0; s < len; ++s) {
    double dot = 0;
    for (int64_t i = 0; i < d; ++i) dot += double(q[i]) * keys[s * d + i];
    p[s] = dot * scale;
    top = std::max(top, p[s]);
  }
  for (double& v : p) total += (v = std::exp(v - top));
  for (int64_t s = 0; s < len; ++s)
    for (int64_t i = 0; i < d; ++i) out[i] += p[s] / total * values[s * d + i];
  return out;
}

// The new key/value land at `position` and every query head of the group
// attends over positions 0..position, in f32 and in bf16 storage.
TEST(DecodeAttentionTest, MatchesPlainLoops) {
  TestRandom random(61);
  // d = 72: a 64-wide block, a 16-wide (or 8-wide) block and a scalar tail.
  // 38 positions: the dot products run four keys at a time, leaving two.
  const int64_t d = 72, group = 3, position = 37, len = position + 1, capacity = 64;
  for (Simd simd : {Simd::kPortable, Simd::kAvx2, Simd::kAvx512}) {
    if (!SimdSupported(simd)) continue;
    for (bool bf16 : {false, true}) {
      // Values rounded to bf16 first, so both storages hold the same numbers.
      auto value = [&] {
        return checkpoint::BFloat16ToFloat(checkpoint::FloatToBFloat16(random.Uniform(-1, 1)));
      };
      std::vector<float> q(static_cast<size_t>(group * d)), keys(static_cast<size_t>(len * d)),
          values(keys.size());
      for (float& v : q) v = random.Uniform(-2, 2);
      for (float& v : keys) v = value();
      for (float& v : values) v = value();
      // Storage as the cache holds it; the last row arrives as the new token.
      std::vector<float> cache_k(static_cast<size_t>(capacity * d), NAN), cache_v(cache_k);
      std::vector<uint16_t> half_k(cache_k.size(), 0xffff), half_v(half_k);
      for (int64_t i = 0; i < position * d; ++i) {
        cache_k[i] = keys[i];
        cache_v[i] = values[i];
        half_k[i] = checkpoint::FloatToBFloat16(keys[i]);
        half_v[i] = checkpoint::FloatToBFloat16(values[i]);
      }
      std::vector<uint16_t> new_k, new_v;
      for (int64_t i = 0; i < d; ++i) {
        new_k.push_back(checkpoint::FloatToBFloat16(keys[position * d + i]));
        new_v.push_back(checkpoint::FloatToBFloat16(values[position * d + i]));
      }
      std::vector<float> out(static_cast<size_t>(group * d)), scratch(static_cast<size_t>(len));
      DecodeAttentionTask t;
      t.bf16 = bf16;
      t.queries = q.data();
      t.new_key = bf16 ? static_cast<const void*>(new_k.data()) : &keys[position * d];
      t.new_value = bf16 ? static_cast<const void*>(new_v.data()) : &values[position * d];
      t.keys = bf16 ? static_cast<void*>(half_k.data()) : cache_k.data();
      t.values = bf16 ? static_cast<void*>(half_v.data()) : cache_v.data();
      t.position = position;
      t.group = group;
      t.head_dim = d;
      t.scale = 1.0f / std::sqrt(float(d));
      t.out = out.data();
      t.scratch = scratch.data();
      RunDecodeAttention(t, simd);
      for (int64_t g = 0; g < group; ++g) {
        const std::vector<float> qg(q.begin() + g * d, q.begin() + (g + 1) * d);
        const std::vector<double> want = Naive(qg, keys, values, len, d, t.scale);
        for (int64_t i = 0; i < d; ++i)
          EXPECT_NEAR(out[g * d + i], want[i], 1e-5)
              << SimdName(simd) << (bf16 ? " bf16" : " f32") << " head " << g << " dim " << i;
      }
      // The new row is stored; the rows after it are untouched.
      if (bf16) {
        EXPECT_EQ(half_k[position * d], new_k[0]);
        EXPECT_EQ(half_v[(position + 1) * d], 0xffff);
      } else {
        EXPECT_EQ(cache_k[position * d], keys[position * d]);
        EXPECT_TRUE(std::isnan(cache_v[(position + 1) * d]));
      }
    }
  }
}

}  // namespace
}  // namespace hai::transformer
