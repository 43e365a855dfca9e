#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "daemons/portal/call_rollup.h"
#include "lib/store/database.h"

namespace hai::portal::monitoring {

// The most points one series request may cover (buckets in its range, with
// calls or not): 10,000 minutes is about a week.
inline constexpr int64_t kMaxSeriesPoints = 10000;

struct SeriesQuery {
  Granularity granularity = Granularity::kMinute;
  int64_t from = 0;  // the first bucket's start (aligned)
  int64_t to = 0;    // exclusive: buckets starting before it
  std::optional<int64_t> org_id;
  std::optional<int64_t> service_id;
  std::optional<std::vector<int64_t>> visible_orgs;  // non-admin scope
};

// Mean and percentiles of one measure in a bucket; all unset without samples.
struct Distribution {
  int64_t count = 0;
  std::optional<double> mean, p50, p90, p95, p99;
};

// One bucket with calls, over every (organisation, service) row the query
// admits.
struct SeriesPoint {
  int64_t time_ms = 0;
  Granularity granularity = Granularity::kMinute;
  int64_t calls = 0;
  int64_t failures = 0;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  Distribution ttft, tpot, latency, otps;

  double FailureRate() const;
  // Input plus output tokens per minute of the bucket.
  double Tpm() const;
};

Distribution Summarize(const RollupHistogram& h);

// The points of `q`, ascending, only buckets with calls. Rows are merged a
// bucket at a time, so memory does not grow with the range.
Result<std::vector<SeriesPoint>> ReadSeries(store::Database::Tx& tx, const SeriesQuery& q);

nlohmann::json ToJson(const SeriesPoint& p);

}  // namespace hai::portal::monitoring
