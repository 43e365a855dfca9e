#include "lib/transformer/f32_matmul.h"

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

std::vector<float> Random(TestRandom& random, int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& f : v) f = random.Uniform(-1, 1);
  return v;
}

std::vector<float> Packed(const std::vector<float>& w, int64_t out, int64_t in) {
  std::vector<float> packed(static_cast<size_t>(PackedF32Floats(out, in)), NAN);
  PackF32(w.data(), out, in, packed.data());
  return packed;
}

// Every supported kernel against a double-precision loop, on shapes that
// leave remainders everywhere: a padded last panel, an odd panel count for
// the two-panel tiles, token counts that are not a multiple of any tile or
// of the token block (48 for AVX-512).
TEST(F32MatmulTest, KernelsMatchPlainLoops) {
  TestRandom random(11);
  const std::vector<Case> cases = {{1, 1, 1},    {1, 7, 5},     {3, 19, 37},  {13, 33, 16},
                                   {25, 64, 50}, {40, 17, 33},  {1, 96, 48},  {7, 5, 64},
                                   {49, 9, 80},  {100, 30, 17}, {12, 64, 96}, {6, 3, 200}};
  for (Simd simd : {Simd::kPortable, Simd::kAvx2, Simd::kAvx512}) {
    if (!SimdSupported(simd)) continue;
    for (const Case& c : cases) {
      const std::vector<float> x = Random(random, c.tokens * c.in);
      const std::vector<float> w = Random(random, c.out * c.in);
      const std::vector<float> packed = Packed(w, c.out, c.in);
      std::vector<float> y(static_cast<size_t>(c.tokens * c.out), NAN);
      const F32Product p{x.data(), c.tokens, packed.data(), c.in, c.out, y.data()};
      F32MatmulPanels(p, 0, F32Panels(c.out), simd);
      for (int64_t t = 0; t < c.tokens; ++t) {
        for (int64_t o = 0; o < c.out; ++o) {
          double want = 0;
          for (int64_t i = 0; i < c.in; ++i) want += double(x[t * c.in + i]) * w[o * c.in + i];
          ASSERT_NEAR(y[t * c.out + o], want, 1e-5 * std::max(1.0, std::fabs(want)))
              << SimdName(simd) << " tokens=" << c.tokens << " in=" << c.in << " out=" << c.out
              << " at " << t << "," << o;
        }
      }
    }
  }
}

// A thread's share writes exactly its panels' columns, for every token.
TEST(F32MatmulTest, PanelRangeWritesOnlyItsColumns) {
  TestRandom random(12);
  const int64_t tokens = 5, in = 8, out = 70;  // panels: 0-15 … 64-69
  const std::vector<float> x = Random(random, tokens * in), w = Random(random, out * in);
  const std::vector<float> packed = Packed(w, out, in);
  for (Simd simd : {Simd::kPortable, Simd::kAvx2, Simd::kAvx512}) {
    if (!SimdSupported(simd)) continue;
    std::vector<float> y(static_cast<size_t>(tokens * out), -7.0f);
    F32MatmulPanels({x.data(), tokens, packed.data(), in, out, y.data()}, 1, 4, simd);
    for (int64_t t = 0; t < tokens; ++t) {
      for (int64_t o = 0; o < out; ++o) {
        const bool inside = o >= 16 && o < 64;
        EXPECT_EQ(y[t * out + o] == -7.0f, !inside) << SimdName(simd) << " " << t << "," << o;
      }
    }
  }
}

TEST(F32MatmulTest, UnpackGivesBackEveryRow) {
  TestRandom random(13);
  const int64_t out = 37, in = 11;
  const std::vector<float> w = Random(random, out * in);
  const std::vector<float> packed = Packed(w, out, in);
  EXPECT_EQ(PackedF32Floats(out, in), 48 * in);
  std::vector<float> row(static_cast<size_t>(in));
  for (int64_t r = 0; r < out; ++r) {
    UnpackF32Row(packed.data(), in, r, row.data());
    for (int64_t k = 0; k < in; ++k) ASSERT_EQ(row[k], w[r * in + k]) << r << "," << k;
  }
  // The padding rows are zeros, so a padded column computes 0, not garbage.
  UnpackF32Row(packed.data(), in, 47, row.data());
  for (float v : row) EXPECT_EQ(v, 0.0f);
}

TEST(SimdTest, PortableAlwaysSupported) {
  EXPECT_TRUE(SimdSupported(Simd::kPortable));
  EXPECT_TRUE(SimdSupported(BestSimd()));
  EXPECT_EQ(SimdName(Simd::kAvx512), "avx512");
  EXPECT_EQ(SimdName(Simd::kPortable), "portable");
}

}  // namespace
}  // namespace hai::transformer
