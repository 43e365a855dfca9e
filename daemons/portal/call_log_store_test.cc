#include "daemons/portal/call_log_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "daemons/portal/call_log_json.h"
#include "daemons/portal/call_log_retention.h"
#include "daemons/portal/call_log_testing.h"
#include "daemons/portal/call_rollup.h"
#include "daemons/portal/org_store.h"
#include "daemons/portal/user_store.h"
#include "lib/store/migrations.h"

namespace hai::portal {
namespace {

using store::Database;

constexpr int64_t kBase = 1795338000000;  // 2026-11-22T09:00:00Z
constexpr int64_t kDay = 24LL * 3600 * 1000;

class CallLogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:", store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Write([&](Database::Tx& tx) -> Status {
                     for (const char* name : {"Radiology", "Cardiology", "Pharmacy"})
                       HAI_RETURN_IF_ERROR(orgs::Insert(tx, name, "", kBase).status());
                     for (const char* name : {"ana", "bo", "chen", "dev", "eli"})
                       HAI_RETURN_IF_ERROR(
                           users::Insert(tx, {name, "$argon2id$x", "", "", false}, kBase).status());
                     return Status::Ok();
                   })
                    .ok());
    std::mt19937_64 rng(5);
    for (int i = 0; i < 400; ++i) {
      CallRecord r = testing::SampleRecord(rng, kBase + i * 1000, i);
      records_.push_back(r);
    }
    Insert(records_);
  }

  void Insert(const std::vector<CallRecord>& records) {
    ASSERT_TRUE(db_->Write([&](Database::Tx& tx) { return call_logs::Insert(tx, records); }).ok());
  }

  Page<CallLogEntry> Query(const call_logs::Filter& f, int64_t limit = 1000, int64_t offset = 0) {
    Page<CallLogEntry> page;
    EXPECT_TRUE(
        db_->Read([&](Database::Tx& tx) -> Status {
             HAI_ASSIGN_OR_RETURN(page, call_logs::Query(tx, f, {limit, offset, "c.time_ms DESC"}));
             return Status::Ok();
           })
            .ok());
    return page;
  }

  template <typename Pred>
  int64_t Count(Pred pred) const {
    return static_cast<int64_t>(std::count_if(records_.begin(), records_.end(), pred));
  }

  std::unique_ptr<Database> db_;
  std::vector<CallRecord> records_;
};

TEST_F(CallLogStoreTest, StoresEveryFieldAndNamesOrgAndUser) {
  Page<CallLogEntry> page = Query({}, 1);
  EXPECT_EQ(page.total, 400);
  ASSERT_EQ(page.items.size(), 1u);
  const CallLogEntry& e = page.items[0];
  const CallRecord& want = records_.back();  // newest first
  const CallRecord& got = e.record;
  EXPECT_EQ(got.request_id, want.request_id);
  EXPECT_EQ(got.time_ms, want.time_ms);
  EXPECT_EQ(got.org_id, want.org_id);
  EXPECT_EQ(got.user_id, want.user_id);
  EXPECT_EQ(got.api_key_id, want.api_key_id);
  EXPECT_EQ(got.api_key_prefix, want.api_key_prefix);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.service_id, want.service_id);
  EXPECT_EQ(got.service, want.service);
  EXPECT_EQ(got.deployment_id, want.deployment_id);
  EXPECT_EQ(got.replica_id, want.replica_id);
  EXPECT_EQ(got.endpoint, want.endpoint);
  EXPECT_EQ(got.failed, want.failed);
  EXPECT_EQ(got.status_code, want.status_code);
  EXPECT_EQ(got.error, want.error);
  EXPECT_EQ(got.client_ip, want.client_ip);
  EXPECT_EQ(got.user_agent, want.user_agent);
  EXPECT_EQ(got.stream, want.stream);
  EXPECT_EQ(got.input_tokens, want.input_tokens);
  EXPECT_EQ(got.output_tokens, want.output_tokens);
  EXPECT_EQ(got.total_tokens, want.total_tokens);
  EXPECT_EQ(got.usage_source, want.usage_source);
  EXPECT_EQ(got.ttft_us, want.ttft_us);
  EXPECT_EQ(got.tpot_us, want.tpot_us);
  EXPECT_EQ(got.latency_us, want.latency_us);
  EXPECT_EQ(got.tps_milli, want.tps_milli);
  const char* orgs[] = {"", "Radiology", "Cardiology", "Pharmacy"};
  const char* users[] = {"", "ana", "bo", "chen", "dev", "eli"};
  EXPECT_EQ(e.org_name, orgs[want.org_id]);
  EXPECT_EQ(e.user_name, users[*want.user_id]);
}

TEST_F(CallLogStoreTest, EachFilterNarrowsToTheMatchingRows) {
  const CallRecord& probe = records_[123];
  struct Case {
    const char* name;
    call_logs::Filter filter;
    std::function<bool(const CallRecord&)> want;
  };
  std::vector<Case> cases;
  cases.push_back({"from/to", {}, [](const CallRecord& r) {
                     return r.time_ms >= kBase + 100'000 && r.time_ms < kBase + 200'000;
                   }});
  cases.back().filter.from = kBase + 100'000;
  cases.back().filter.to = kBase + 200'000;
  cases.push_back({"org_id", {}, [](const CallRecord& r) { return r.org_id == 2; }});
  cases.back().filter.org_id = 2;
  cases.push_back({"service_id", {}, [](const CallRecord& r) { return r.service_id == 3; }});
  cases.back().filter.service_id = 3;
  cases.push_back(
      {"service", {}, [](const CallRecord& r) { return r.service == "no-such-model"; }});
  cases.back().filter.service = "no-such-model";
  cases.push_back({"api_key_prefix", {}, [&](const CallRecord& r) {
                     return r.api_key_prefix == probe.api_key_prefix;
                   }});
  cases.back().filter.api_key_prefix = probe.api_key_prefix;
  cases.push_back({"user_id", {}, [](const CallRecord& r) { return r.user_id == 4; }});
  cases.back().filter.user_id = 4;
  cases.push_back({"status=failure", {}, [](const CallRecord& r) { return r.failed; }});
  cases.back().filter.failed = true;
  cases.push_back({"status=success", {}, [](const CallRecord& r) { return !r.failed; }});
  cases.back().filter.failed = false;
  cases.push_back({"status_code", {}, [](const CallRecord& r) { return r.status_code == 429; }});
  cases.back().filter.status_code = 429;
  cases.push_back(
      {"request_id", {}, [&](const CallRecord& r) { return r.request_id == probe.request_id; }});
  cases.back().filter.request_id = probe.request_id;
  cases.push_back({"stream", {}, [](const CallRecord& r) { return r.stream; }});
  cases.back().filter.stream = true;
  cases.push_back({"org and stream and success", {}, [](const CallRecord& r) {
                     return r.org_id == 1 && !r.stream && !r.failed;
                   }});
  cases.back().filter.org_id = 1;
  cases.back().filter.stream = false;
  cases.back().filter.failed = false;
  for (const Case& c : cases) {
    const int64_t want = Count(c.want);
    ASSERT_GT(want, 0) << c.name << ": the sample has no such row";
    ASSERT_LT(want, 400) << c.name << ": the filter would not narrow";
    Page<CallLogEntry> page = Query(c.filter);
    EXPECT_EQ(page.total, want) << c.name;
    ASSERT_EQ(static_cast<int64_t>(page.items.size()), want) << c.name;
    for (const CallLogEntry& e : page.items) EXPECT_TRUE(c.want(e.record)) << c.name;
  }
}

TEST_F(CallLogStoreTest, ScopeShowsWholeOrgsOrOnlyOwnCalls) {
  call_logs::Filter f;
  f.scope = call_logs::Scope{{1}, {3}, 2};  // all of org 1; own calls (user 2) in org 3
  Page<CallLogEntry> page = Query(f);
  EXPECT_EQ(page.total, Count([](const CallRecord& r) {
              return r.org_id == 1 || (r.org_id == 3 && r.user_id == 2);
            }));
  for (const CallLogEntry& e : page.items)
    EXPECT_TRUE(e.record.org_id == 1 || (e.record.org_id == 3 && e.record.user_id == 2));
  f.scope = call_logs::Scope{{}, {}, 2};
  EXPECT_EQ(Query(f).total, 0);
  f.scope = call_logs::Scope{{}, {2}, 2};
  f.org_id = 1;  // a filter cannot widen the scope
  EXPECT_EQ(Query(f).total, 0);
}

TEST_F(CallLogStoreTest, PagesAreNewestFirstAndStable) {
  std::vector<std::string> seen;
  for (int64_t offset = 0; offset < 400; offset += 64) {
    Page<CallLogEntry> page = Query({}, 64, offset);
    for (const CallLogEntry& e : page.items) seen.push_back(e.record.request_id);
  }
  ASSERT_EQ(seen.size(), 400u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], records_[399 - i].request_id);
}

TEST_F(CallLogStoreTest, CsvHasAHeaderAndOneRowPerCall) {
  CallRecord r = records_[0];
  r.user_agent = "=cmd|' /C calc'!A0, \"quoted\"";
  CallLogEntry e{7, r, "Radiology", "ana"};
  std::string csv = CallLogsCsv({e});
  auto header_end = csv.find("\r\n");
  EXPECT_EQ(csv.substr(0, header_end).substr(0, 34), "id,time,time_ms,request_id,org_id,");
  EXPECT_NE(csv.find("\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\n7," + std::string("2026-11-22T09:00:00.000Z,")), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);
}

TEST_F(CallLogStoreTest, RetentionRemovesOldRowsAndRollups) {
  std::mt19937_64 rng(9);
  std::vector<CallRecord> old;
  for (int i = 0; i < 50; ++i) old.push_back(testing::SampleRecord(rng, kBase - 40 * kDay + i, i));
  for (int i = 0; i < 30; ++i) old.push_back(testing::SampleRecord(rng, kBase - 20 * kDay + i, i));
  Insert(old);
  CallLogRetention retention{30, 400};
  auto removed = ApplyCallLogRetention(db_.get(), kBase + 1000, retention);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->call_logs, 50);
  EXPECT_EQ(Query({}).total, 430);
  // Minute rollups go after 14 days (the 40- and 20-day-old ones); hour and
  // day rollups stay for 400.
  auto rows = [&](Granularity g) {
    size_t n = 0;
    EXPECT_TRUE(
        db_->Read([&](Database::Tx& tx) -> Status {
             HAI_ASSIGN_OR_RETURN(auto r, rollups::Read(tx, g, {0, kBase - 10 * kDay, {}, {}, {}}));
             n = r.size();
             return Status::Ok();
           })
            .ok());
    return n;
  };
  EXPECT_EQ(rows(Granularity::kMinute), 0u);
  EXPECT_GT(rows(Granularity::kHour), 0u);
  EXPECT_GT(rows(Granularity::kDay), 0u);
  auto again = ApplyCallLogRetention(db_.get(), kBase + 401 * kDay, retention);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Query({}).total, 0);
  EXPECT_EQ(rows(Granularity::kHour), 0u);
}

TEST_F(CallLogStoreTest, JsonShowsTheContractsFields) {
  Page<CallLogEntry> page = Query({}, 400);
  for (const CallLogEntry& e : page.items) {
    nlohmann::json j = ToJson(e);
    for (std::string_view field : CallLogFields())
      EXPECT_TRUE(j.contains(std::string(field))) << field;
    EXPECT_EQ(j.size(), CallLogFields().size());
    if (e.record.ttft_us) {
      EXPECT_DOUBLE_EQ(j["ttft_ms"].get<double>(), static_cast<double>(*e.record.ttft_us) / 1000);
      return;
    }
  }
  FAIL() << "the sample has no stream";
}

}  // namespace
}  // namespace hai::portal
