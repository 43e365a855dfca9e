#include "daemons/portal/rollup_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace hai::portal {
namespace {

using H = RollupHistogram;

// The nearest-rank q-quantile of raw samples: the smallest sample with at
// least q·n samples at or below it.
int64_t NearestRank(std::vector<int64_t> samples, double q) {
  std::sort(samples.begin(), samples.end());
  auto k = static_cast<size_t>(std::ceil(q * static_cast<double>(samples.size())));
  return samples[std::max<size_t>(k, 1) - 1];
}

TEST(RollupHistogramTest, EdgesAreContiguousAndAtMostNinePercentWide) {
  EXPECT_EQ(H::LowerEdge(0), 0);
  EXPECT_DOUBLE_EQ(H::LowerEdge(1), 0.01);
  EXPECT_DOUBLE_EQ(H::LowerEdge(9), 0.02);  // eight buckets per doubling
  EXPECT_TRUE(std::isinf(H::UpperEdge(H::kBuckets - 1)));
  for (int b = 1; b < H::kBuckets - 1; ++b) {
    EXPECT_EQ(H::UpperEdge(b), H::LowerEdge(b + 1));
    EXPECT_LE(H::UpperEdge(b) / H::LowerEdge(b), 1.0906) << b;
  }
  EXPECT_NEAR(H::LowerEdge(H::kBuckets - 1), 0.01 * std::exp2(30), 1e-3);
}

TEST(RollupHistogramTest, ValuesLandInTheBucketWhoseEdgesHoldThem) {
  EXPECT_EQ(H::BucketOf(0), 0);
  EXPECT_EQ(H::BucketOf(9), 0);   // 0.009 < 0.01
  EXPECT_EQ(H::BucketOf(10), 1);  // 0.01 is bucket 1's lower edge
  EXPECT_EQ(H::BucketOf(20), 9);  // 0.02 starts bucket 9
  EXPECT_EQ(H::BucketOf(19), 8);
  EXPECT_EQ(H::BucketOf(-5), 0);
  EXPECT_EQ(H::BucketOf(int64_t{1} << 62), H::kBuckets - 1);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    int64_t milli = static_cast<int64_t>(rng() % 2'000'000'000);
    int b = H::BucketOf(milli);
    double v = static_cast<double>(milli) / 1000;
    EXPECT_LE(H::LowerEdge(b), v + 1e-12) << milli;
    EXPECT_LT(v, H::UpperEdge(b) + 1e-12) << milli;
  }
}

TEST(RollupHistogramTest, EmptyHasNoMeanOrPercentiles) {
  H h;
  EXPECT_FALSE(h.Mean());
  EXPECT_FALSE(h.Quantile(0.5));
  EXPECT_EQ(h.EncodeBuckets(), "");
}

TEST(RollupHistogramTest, InterpolatesInsideTheBucket) {
  // Four samples in bucket 9 = [0.02, 0.02·2^(1/8)): the median's rank is 2
  // of 4, half way through the bucket.
  H h;
  for (int64_t v : {20, 20, 21, 21}) h.Add(v);
  const double lower = 0.02, upper = 0.02 * std::exp2(1.0 / 8);
  EXPECT_NEAR(*h.Quantile(0.5), lower + 0.5 * (upper - lower), 1e-12);
  EXPECT_NEAR(*h.Quantile(1.0), upper, 1e-12);
  EXPECT_NEAR(*h.Quantile(0.25), lower + 0.25 * (upper - lower), 1e-12);
  EXPECT_DOUBLE_EQ(*h.Mean(), (0.020 + 0.020 + 0.021 + 0.021) / 4);
}

TEST(RollupHistogramTest, OverflowBucketAnswersItsLowerEdge) {
  H h;
  h.Add(int64_t{20'000'000'000});  // 20 million units, past the last edge
  EXPECT_DOUBLE_EQ(*h.Quantile(0.99), H::LowerEdge(H::kBuckets - 1));
  EXPECT_DOUBLE_EQ(*h.Mean(), 20'000'000);
}

// Percentiles from the histogram against the exact percentiles of the raw
// samples: the estimate must lie in the bucket of the nearest-rank sample,
// so it is off by at most that bucket's width (≤ 9.06 %).
TEST(RollupHistogramTest, PercentilesWithinABucketOfTheExactOnes) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> ttft(std::log(180.0), 0.7);
  std::uniform_real_distribution<double> flat(5, 4000);
  std::exponential_distribution<double> tail(1.0 / 30);
  for (int run = 0; run < 60; ++run) {
    const int n = run % 3 == 0 ? 1 + run : 200 + 97 * run;
    std::vector<int64_t> samples;
    H h;
    for (int i = 0; i < n; ++i) {
      double ms = run % 3 == 0 ? flat(rng) : run % 3 == 1 ? ttft(rng) : tail(rng);
      int64_t milli = std::llround(ms * 1000);
      samples.push_back(milli);
      h.Add(milli);
    }
    int64_t sum = 0;
    for (int64_t v : samples) sum += v;
    EXPECT_EQ(h.count(), n);
    EXPECT_EQ(h.sum_milli(), sum);
    EXPECT_DOUBLE_EQ(*h.Mean(), static_cast<double>(sum) / 1000 / n);
    for (double q : {0.5, 0.9, 0.95, 0.99}) {
      const int64_t exact = NearestRank(samples, q);
      const int b = H::BucketOf(exact);
      const double est = *h.Quantile(q);
      EXPECT_GE(est, H::LowerEdge(b) - 1e-9) << "run " << run << " q " << q;
      EXPECT_LE(est, H::UpperEdge(b) + 1e-9) << "run " << run << " q " << q;
      const double exact_value = static_cast<double>(exact) / 1000;
      if (b > 0) {
        EXPECT_LE(std::abs(est - exact_value) / exact_value, 0.0906);
      }
    }
  }
}

TEST(RollupHistogramTest, MergeEqualsAddingEverySample) {
  std::mt19937_64 rng(3);
  H a, b, all;
  for (int i = 0; i < 5000; ++i) {
    int64_t v = static_cast<int64_t>(rng() % 10'000'000);
    (i % 2 ? a : b).Add(v);
    all.Add(v);
  }
  a.Merge(b);
  EXPECT_EQ(a, all);
}

TEST(RollupHistogramTest, EncodingRoundTripsAndIsSparse) {
  H h;
  for (int64_t v : {int64_t{0}, int64_t{5}, int64_t{10}, int64_t{150'000}, int64_t{150'001},
                    int64_t{3'000'000}, int64_t{1} << 50})
    h.Add(v);
  std::string blob = h.EncodeBuckets();
  EXPECT_LT(blob.size(), 20u);
  auto back = H::Decode(h.count(), h.sum_milli(), blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, h);
}

TEST(RollupHistogramTest, DecodeRefusesDamagedBlobs) {
  H h;
  for (int i = 0; i < 300; ++i) h.Add(i * 1000);
  std::string blob = h.EncodeBuckets();
  EXPECT_FALSE(H::Decode(h.count() + 1, h.sum_milli(), blob).ok());  // counts disagree
  EXPECT_FALSE(H::Decode(h.count(), h.sum_milli(), blob.substr(0, blob.size() - 1)).ok());
  EXPECT_FALSE(H::Decode(1, 0, std::string("\xff\x01\x01", 3)).ok());  // bucket 255
  EXPECT_FALSE(H::Decode(1, 0, std::string("\x00\x00", 2)).ok());      // empty bucket listed
  EXPECT_TRUE(H::Decode(0, 0, "").ok());
}

}  // namespace
}  // namespace hai::portal
