#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "daemons/portal/call_record.h"
#include "daemons/portal/rollup_histogram.h"
#include "lib/store/database.h"

namespace hai::portal {

// The three rollup sizes. Buckets are UTC: a minute, an hour, a day.
enum class Granularity { kMinute, kHour, kDay };

std::string_view GranularityName(Granularity g);
std::optional<Granularity> ParseGranularity(std::string_view name);
int64_t GranularityMs(Granularity g);
// The start of the bucket holding `time_ms`.
int64_t BucketStart(Granularity g, int64_t time_ms);

// What a rollup row counts: calls, failures and tokens of every call, and
// the distributions of successful calls' TTFT, TPOT, latency (ms) and
// output tokens per second (a failed call's timings describe the failure,
// not the service, so they would only blur the percentiles).
struct RollupCounts {
  int64_t calls = 0;
  int64_t failures = 0;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  RollupHistogram ttft;
  RollupHistogram tpot;
  RollupHistogram latency;
  RollupHistogram otps;

  void Add(const CallRecord& r);
  void Merge(const RollupCounts& other);
  bool operator==(const RollupCounts&) const = default;
};

// One rollup row's key; service_id 0 stands for "no known service".
struct RollupKey {
  int64_t bucket_ms = 0;
  int64_t org_id = 0;
  int64_t service_id = 0;
  auto operator<=>(const RollupKey&) const = default;
};

namespace rollups {

using store::Database;

// Adds `records` to the minute, hour and day rows they fall in, inside the
// caller's transaction. Each record is counted once into a per-batch
// minute aggregate; hour and day aggregates are sums of those minute
// aggregates, so every hour row stays the exact sum of its minute rows.
Status Add(Database::Tx& tx, std::span<const CallRecord> records);

// The rows of one granularity in [from, to) (ascending by bucket, then
// org, then service), optionally narrowed; for tests and the series.
struct RowFilter {
  int64_t from = 0;
  int64_t to = 0;
  std::optional<int64_t> org_id;
  std::optional<int64_t> service_id;
  std::optional<std::vector<int64_t>> visible_orgs;  // non-admin scope
};
Result<std::vector<std::pair<RollupKey, RollupCounts>>> Read(Database::Tx& tx, Granularity g,
                                                             const RowFilter& filter);
// Streams the same rows to `row` without holding them all.
Status ForEach(Database::Tx& tx, Granularity g, const RowFilter& filter,
               const std::function<void(const RollupKey&, const RollupCounts&)>& row);

// Removes the rows of `g` whose bucket starts before `cutoff`; returns how many.
Result<int64_t> RemoveOlderThan(Database::Tx& tx, Granularity g, int64_t cutoff);

}  // namespace rollups
}  // namespace hai::portal
