#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lib/base/status.h"

namespace hai::portal {

// The distribution of one measure of the calls in a rollup bucket:
// milliseconds for TTFT, TPOT and latency, tokens per second for OTPS.
//
// Buckets are fixed and the same for every rollup, so rollups merge by
// adding counts: bucket 0 holds [0, 0.01), bucket i (1 … kSteps) holds
// [0.01·2^((i−1)/8), 0.01·2^(i/8)), and the last bucket everything from
// 0.01·2^30 (about 10.7 million: three hours in ms) up. Eight buckets per
// doubling keep a bucket at most 9 % wide, the bound on a percentile's error.
//
// Values arrive in integer thousandths of the unit (microseconds for ms)
// and the sum is kept in those, so merged sums are exact and an hour equals
// the sum of its minutes to the last digit. A value type, not thread-safe.
class RollupHistogram {
 public:
  static constexpr int kSteps = 240;
  static constexpr int kBuckets = kSteps + 2;

  // The bucket a value of `milli` thousandths falls in (negatives: bucket 0).
  static int BucketOf(int64_t milli);
  // Bucket edges in the unit; the last bucket's upper edge is infinite.
  static double LowerEdge(int bucket);
  static double UpperEdge(int bucket);

  void Add(int64_t milli);
  void Merge(const RollupHistogram& other);

  int64_t count() const { return count_; }
  int64_t sum_milli() const { return sum_milli_; }
  int64_t bucket(int b) const { return counts_[static_cast<size_t>(b)]; }

  // The mean from the exact sum; nullopt without samples.
  std::optional<double> Mean() const;
  // The q-quantile (0 < q ≤ 1): the bucket where the cumulative count first
  // reaches q·count, interpolated linearly inside it (the last bucket gives
  // its lower edge). It lies in the same bucket as the nearest-rank sample
  // quantile, so it is off by at most that bucket's width. nullopt without
  // samples.
  std::optional<double> Quantile(double q) const;

  // The non-empty buckets as unsigned LEB128 varints: for each, the gap to
  // the previous non-empty bucket, then its count. A few bytes per bucket
  // in use, nothing for the rest.
  std::string EncodeBuckets() const;
  // Rebuilds a histogram from its stored count, sum and encoded buckets. A
  // blob that does not decode, or whose counts do not add up to `count`, is
  // an Internal error (the database was changed behind our back).
  static Result<RollupHistogram> Decode(int64_t count, int64_t sum_milli, std::string_view buckets);

  bool operator==(const RollupHistogram&) const = default;

 private:
  std::array<int64_t, kBuckets> counts_{};
  int64_t count_ = 0;
  int64_t sum_milli_ = 0;
};

}  // namespace hai::portal
