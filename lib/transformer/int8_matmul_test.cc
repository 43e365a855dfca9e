#include "lib/transformer/int8_matmul.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "lib/transformer/test_models.h"

namespace hai::transformer {
namespace {

struct Case {
  int64_t tokens, in, out;
};

// Every supported kernel against a double-precision loop, on shapes that
// leave remainders in each blocking (rows by 2, tokens by 4, inputs by 8/16).
TEST(Int8MatmulTest, KernelsMatchPlainLoops) {
  TestRandom random(7);
  const std::vector<Case> cases = {{1, 1, 1},   {1, 16, 2}, {3, 33, 5},   {4, 64, 8},
                                   {5, 100, 3}, {9, 48, 7}, {16, 257, 4}, {2, 7, 9}};
  for (Simd kernel : {Simd::kPortable, Simd::kAvx2, Simd::kAvx512}) {
    if (!SimdSupported(kernel)) continue;
    for (const Case& c : cases) {
      std::vector<float> x(static_cast<size_t>(c.tokens * c.in)),
          scales(static_cast<size_t>(c.out));
      std::vector<int8_t> q(static_cast<size_t>(c.out * c.in));
      for (float& v : x) v = random.Uniform(-2, 2);
      for (float& v : scales) v = random.Uniform(0.001f, 0.05f);
      for (int8_t& v : q) v = static_cast<int8_t>(random.Below(255) - 127);
      std::vector<float> y(static_cast<size_t>(c.tokens * c.out), -1.0f);
      const Int8Product p{x.data(), c.tokens, q.data(), scales.data(), c.in, c.out, y.data()};
      Int8MatmulRows(p, 0, c.out, kernel);
      for (int64_t t = 0; t < c.tokens; ++t) {
        for (int64_t o = 0; o < c.out; ++o) {
          double want = 0, magnitude = 0;
          for (int64_t i = 0; i < c.in; ++i) {
            want += double(x[t * c.in + i]) * q[o * c.in + i];
            magnitude += std::fabs(double(x[t * c.in + i]) * q[o * c.in + i]);
          }
          want *= scales[o];
          // f32 sums of `in` terms: rounding grows with the terms' size.
          EXPECT_NEAR(y[t * c.out + o], want, 1e-6 * (1 + magnitude * scales[o]))
              << SimdName(kernel) << " tokens=" << c.tokens << " in=" << c.in << " out=" << c.out;
        }
      }
    }
  }
}

TEST(Int8MatmulTest, WritesOnlyItsRows) {
  std::vector<float> x(2 * 8, 1.0f), scales(6, 1.0f), y(2 * 6, -7.0f);
  std::vector<int8_t> q(6 * 8, 1);
  const Int8Product p{x.data(), 2, q.data(), scales.data(), 8, 6, y.data()};
  Int8MatmulRows(p, 2, 5, BestSimd());
  for (int t = 0; t < 2; ++t) {
    for (int o = 0; o < 6; ++o) EXPECT_EQ(y[t * 6 + o], (o >= 2 && o < 5) ? 8.0f : -7.0f);
  }
}

}  // namespace
}  // namespace hai::transformer
