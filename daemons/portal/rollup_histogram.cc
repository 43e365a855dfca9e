#include "daemons/portal/rollup_histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace hai::portal {
namespace {

constexpr double kFirstEdgeMilli = 10;  // 0.01 in the unit
constexpr int kStepsPerDoubling = 8;

// Lower edges in thousandths, computed once: lower[0] = 0, then the
// log-spaced edges. One table for every lookup keeps bucketing identical in
// ingest, tests and queries.
const std::vector<double>& LowerEdgesMilli() {
  static const std::vector<double> kEdges = [] {
    std::vector<double> edges(RollupHistogram::kBuckets);
    edges[0] = 0;
    for (int i = 1; i < RollupHistogram::kBuckets; ++i)
      edges[static_cast<size_t>(i)] =
          kFirstEdgeMilli * std::exp2(static_cast<double>(i - 1) / kStepsPerDoubling);
    return edges;
  }();
  return kEdges;
}

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *v = result;
      return true;
    }
  }
  return false;
}

}  // namespace

int RollupHistogram::BucketOf(int64_t milli) {
  if (milli <= 0) return 0;
  const std::vector<double>& edges = LowerEdgesMilli();
  auto it = std::upper_bound(edges.begin(), edges.end(), static_cast<double>(milli));
  return static_cast<int>(it - edges.begin()) - 1;
}

double RollupHistogram::LowerEdge(int bucket) {
  return LowerEdgesMilli()[static_cast<size_t>(bucket)] / 1000;
}

double RollupHistogram::UpperEdge(int bucket) {
  if (bucket + 1 >= kBuckets) return std::numeric_limits<double>::infinity();
  return LowerEdge(bucket + 1);
}

void RollupHistogram::Add(int64_t milli) {
  milli = std::max<int64_t>(milli, 0);
  ++counts_[static_cast<size_t>(BucketOf(milli))];
  ++count_;
  sum_milli_ += milli;
}

void RollupHistogram::Merge(const RollupHistogram& other) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_milli_ += other.sum_milli_;
}

std::optional<double> RollupHistogram::Mean() const {
  if (count_ == 0) return std::nullopt;
  return static_cast<double>(sum_milli_) / 1000 / static_cast<double>(count_);
}

std::optional<double> RollupHistogram::Quantile(double q) const {
  if (count_ == 0) return std::nullopt;
  const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(count_);
  int64_t before = 0;
  for (int b = 0; b < kBuckets; ++b) {
    const int64_t c = counts_[static_cast<size_t>(b)];
    if (c == 0) continue;
    if (static_cast<double>(before + c) >= rank) {
      const double lower = LowerEdge(b);
      if (b == kBuckets - 1) return lower;
      const double fraction =
          std::max(0.0, rank - static_cast<double>(before)) / static_cast<double>(c);
      return lower + fraction * (UpperEdge(b) - lower);
    }
    before += c;
  }
  return LowerEdge(kBuckets - 1);  // unreachable while the counts add up
}

std::string RollupHistogram::EncodeBuckets() const {
  std::string out;
  int previous = -1;
  for (int b = 0; b < kBuckets; ++b) {
    const int64_t c = counts_[static_cast<size_t>(b)];
    if (c == 0) continue;
    PutVarint(static_cast<uint64_t>(b - previous - 1), &out);
    PutVarint(static_cast<uint64_t>(c), &out);
    previous = b;
  }
  return out;
}

Result<RollupHistogram> RollupHistogram::Decode(int64_t count, int64_t sum_milli,
                                                std::string_view buckets) {
  RollupHistogram h;
  int64_t previous = -1;
  int64_t total = 0;
  while (!buckets.empty()) {
    uint64_t gap = 0, c = 0;
    if (!GetVarint(&buckets, &gap) || !GetVarint(&buckets, &c))
      return Status::Internal("rollup histogram: truncated bucket list");
    if (gap >= static_cast<uint64_t>(kBuckets) || c == 0 ||
        c > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() - total))
      return Status::Internal("rollup histogram: bucket out of range");
    const int64_t b = previous + 1 + static_cast<int64_t>(gap);
    if (b >= kBuckets) return Status::Internal("rollup histogram: bucket out of range");
    h.counts_[static_cast<size_t>(b)] = static_cast<int64_t>(c);
    total += static_cast<int64_t>(c);
    previous = b;
  }
  if (total != count)
    return Status::Internal("rollup histogram: bucket counts add up to " + std::to_string(total) +
                            ", not " + std::to_string(count));
  h.count_ = count;
  h.sum_milli_ = sum_milli;
  return h;
}

}  // namespace hai::portal
