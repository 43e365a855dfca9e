// Rollups against the raw rows they summarise: hour and day rows are the
// exact sums of their minute rows, and the monitoring series equals what
// the test recomputes from the stored call-log rows.
#include "daemons/portal/call_rollup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "daemons/portal/call_log_store.h"
#include "daemons/portal/call_log_testing.h"
#include "daemons/portal/monitoring_series.h"
#include "lib/store/migrations.h"

namespace hai::portal {
namespace {

using store::Database;

constexpr int64_t kBase = 1795337400000;  // 2026-11-22T08:50:00Z
constexpr int64_t kMinute = 60000;

class CallRollupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:", store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
  }

  // Records over ~27 hours (crossing a UTC day), sent in batches of up to
  // 700 like a gateway does, out of order inside a batch.
  void IngestSample(int n) {
    std::mt19937_64 rng(11);
    std::vector<CallRecord> batch;
    for (int i = 0; i < n; ++i) {
      int64_t t = kBase + static_cast<int64_t>(rng() % (27 * 60 * kMinute));
      batch.push_back(testing::SampleRecord(rng, t, i));
      if (batch.size() == 700 || i == n - 1) {
        ASSERT_TRUE(
            db_->Write([&](Database::Tx& tx) { return call_logs::Insert(tx, batch); }).ok());
        batch.clear();
      }
    }
  }

  std::vector<std::pair<RollupKey, RollupCounts>> Rows(Granularity g) {
    std::vector<std::pair<RollupKey, RollupCounts>> rows;
    rollups::RowFilter all{0, INT64_MAX / 2, {}, {}, {}};
    EXPECT_TRUE(db_->Read([&](Database::Tx& tx) -> Status {
                     HAI_ASSIGN_OR_RETURN(rows, rollups::Read(tx, g, all));
                     return Status::Ok();
                   })
                    .ok());
    return rows;
  }

  std::vector<CallRecord> StoredRecords() {
    Page<CallLogEntry> page;
    EXPECT_TRUE(
        db_->Read([&](Database::Tx& tx) -> Status {
             HAI_ASSIGN_OR_RETURN(page, call_logs::Query(tx, {}, {1'000'000, 0, "c.time_ms ASC"}));
             return Status::Ok();
           })
            .ok());
    std::vector<CallRecord> out;
    for (CallLogEntry& e : page.items) out.push_back(std::move(e.record));
    return out;
  }

  std::unique_ptr<Database> db_;
};

// Sums the finer rows into the coarser granularity's keys.
std::map<RollupKey, RollupCounts> SumInto(
    const std::vector<std::pair<RollupKey, RollupCounts>>& fine, Granularity coarse) {
  std::map<RollupKey, RollupCounts> sums;
  for (const auto& [k, c] : fine)
    sums[{BucketStart(coarse, k.bucket_ms), k.org_id, k.service_id}].Merge(c);
  return sums;
}

TEST_F(CallRollupTest, BucketsAreUtcMinutesHoursAndDays) {
  const int64_t t = 1795340462123;  // 2026-11-22T09:41:02.123Z
  EXPECT_EQ(BucketStart(Granularity::kMinute, t), 1795340460000);
  EXPECT_EQ(BucketStart(Granularity::kHour, t), 1795338000000);
  EXPECT_EQ(BucketStart(Granularity::kDay, t), 1795305600000);  // 2026-11-22T00:00:00Z
  EXPECT_EQ(BucketStart(Granularity::kMinute, -1), -60000);
  EXPECT_EQ(ParseGranularity("hour"), Granularity::kHour);
  EXPECT_FALSE(ParseGranularity("week"));
}

TEST_F(CallRollupTest, HourRowsAreTheExactSumOfTheirMinuteRows) {
  IngestSample(6000);
  auto minutes = Rows(Granularity::kMinute);
  auto hours = Rows(Granularity::kHour);
  auto days = Rows(Granularity::kDay);
  ASSERT_GT(minutes.size(), 1000u);
  ASSERT_GT(hours.size(), 27u);
  ASSERT_EQ(days.size() > 1, true);
  auto hour_sums = SumInto(minutes, Granularity::kHour);
  ASSERT_EQ(hour_sums.size(), hours.size());
  for (const auto& [k, c] : hours) {
    ASSERT_TRUE(hour_sums.contains(k));
    EXPECT_TRUE(hour_sums[k] == c)
        << "hour " << k.bucket_ms << " org " << k.org_id << " service " << k.service_id;
    EXPECT_EQ(hour_sums[k].latency.sum_milli(), c.latency.sum_milli());
  }
  auto day_sums = SumInto(hours, Granularity::kDay);
  ASSERT_EQ(day_sums.size(), days.size());
  for (const auto& [k, c] : days) EXPECT_TRUE(day_sums[k] == c) << "day " << k.bucket_ms;
  int64_t calls = 0;
  for (const auto& [k, c] : days) calls += c.calls;
  EXPECT_EQ(calls, 6000);
}

// The series recomputed by hand from the call_logs rows read back.
TEST_F(CallRollupTest, SeriesMatchesTheStoredRows) {
  IngestSample(4000);
  std::vector<CallRecord> rows = StoredRecords();
  ASSERT_EQ(rows.size(), 4000u);
  // 11:00 to 16:00: the route aligns `from` to a bucket's start the same way.
  const int64_t from = kBase + 10 * kMinute + 2 * 60 * kMinute, to = from + 5 * 60 * kMinute;
  const int64_t org = 2;

  struct Expected {
    int64_t calls = 0, failures = 0, in = 0, out = 0;
    std::vector<int64_t> ttft, tpot, latency, otps;
  };
  std::map<int64_t, Expected> expected;  // by hour
  for (const CallRecord& r : rows) {
    if (r.org_id != org || r.time_ms < from || r.time_ms >= to) continue;
    Expected& e = expected[r.time_ms / 3'600'000 * 3'600'000];
    ++e.calls;
    e.failures += r.failed;
    e.in += r.input_tokens;
    e.out += r.output_tokens;
    if (r.failed) continue;
    if (r.ttft_us) e.ttft.push_back(*r.ttft_us);
    if (r.tpot_us) e.tpot.push_back(*r.tpot_us);
    e.latency.push_back(r.latency_us);
    if (r.tps_milli) e.otps.push_back(*r.tps_milli);
  }
  ASSERT_EQ(expected.size(), 5u);

  monitoring::SeriesQuery q;
  q.granularity = Granularity::kHour;
  q.from = from;
  q.to = to;
  q.org_id = org;
  std::vector<monitoring::SeriesPoint> points;
  ASSERT_TRUE(db_->Read([&](Database::Tx& tx) -> Status {
                   HAI_ASSIGN_OR_RETURN(points, monitoring::ReadSeries(tx, q));
                   return Status::Ok();
                 })
                  .ok());
  ASSERT_EQ(points.size(), expected.size());

  auto check = [](const std::vector<int64_t>& raw, const monitoring::Distribution& d,
                  const char* what) {
    ASSERT_EQ(d.count, static_cast<int64_t>(raw.size())) << what;
    if (raw.empty()) {
      EXPECT_FALSE(d.mean || d.p50 || d.p99) << what;
      return;
    }
    int64_t sum = 0;
    for (int64_t v : raw) sum += v;
    EXPECT_DOUBLE_EQ(*d.mean, static_cast<double>(sum) / 1000 / static_cast<double>(raw.size()))
        << what;
    std::vector<int64_t> sorted = raw;
    std::sort(sorted.begin(), sorted.end());
    for (auto [quantile, got] : {std::pair{0.5, *d.p50}, std::pair{0.9, *d.p90},
                                 std::pair{0.95, *d.p95}, std::pair{0.99, *d.p99}}) {
      auto k = static_cast<size_t>(std::ceil(quantile * static_cast<double>(sorted.size())));
      const int64_t exact = sorted[std::max<size_t>(k, 1) - 1];
      const int b = RollupHistogram::BucketOf(exact);
      EXPECT_GE(got, RollupHistogram::LowerEdge(b) - 1e-9) << what << " p" << quantile * 100;
      EXPECT_LE(got, RollupHistogram::UpperEdge(b) + 1e-9) << what << " p" << quantile * 100;
    }
  };
  for (const monitoring::SeriesPoint& p : points) {
    ASSERT_TRUE(expected.contains(p.time_ms)) << p.time_ms;
    const Expected& e = expected[p.time_ms];
    EXPECT_EQ(p.calls, e.calls);
    EXPECT_EQ(p.failures, e.failures);
    EXPECT_EQ(p.input_tokens, e.in);
    EXPECT_EQ(p.output_tokens, e.out);
    EXPECT_DOUBLE_EQ(p.Tpm(), static_cast<double>(e.in + e.out) / 60);
    EXPECT_DOUBLE_EQ(p.FailureRate(),
                     static_cast<double>(e.failures) / static_cast<double>(e.calls));
    check(e.ttft, p.ttft, "ttft");
    check(e.tpot, p.tpot, "tpot");
    check(e.latency, p.latency, "latency");
    check(e.otps, p.otps, "otps");
  }
}

TEST_F(CallRollupTest, SeriesScopeAndServiceFilter) {
  IngestSample(1500);
  auto total = [&](monitoring::SeriesQuery q) {
    q.granularity = Granularity::kDay;
    q.from = 0;
    q.to = INT64_MAX / 2;
    int64_t calls = 0;
    EXPECT_TRUE(db_->Read([&](Database::Tx& tx) -> Status {
                     HAI_ASSIGN_OR_RETURN(auto points, monitoring::ReadSeries(tx, q));
                     for (const auto& p : points) calls += p.calls;
                     return Status::Ok();
                   })
                    .ok());
    return calls;
  };
  std::vector<CallRecord> rows = StoredRecords();
  auto count = [&](auto pred) {
    return static_cast<int64_t>(std::count_if(rows.begin(), rows.end(), pred));
  };
  EXPECT_EQ(total({}), 1500);
  monitoring::SeriesQuery scoped;
  scoped.visible_orgs = std::vector<int64_t>{1, 3};
  EXPECT_EQ(total(scoped), count([](const CallRecord& r) { return r.org_id != 2; }));
  scoped.org_id = 2;  // an organisation outside the scope: nothing
  EXPECT_EQ(total(scoped), 0);
  monitoring::SeriesQuery service;
  service.service_id = 2;
  EXPECT_EQ(total(service), count([](const CallRecord& r) { return r.service_id == 2; }));
  monitoring::SeriesQuery none;
  none.visible_orgs = std::vector<int64_t>{};
  EXPECT_EQ(total(none), 0);
}

}  // namespace
}  // namespace hai::portal
