// Call logs and monitoring against a real hai-portal: ingest with the
// cluster token, the list with its filters and tenant isolation, the CSV
// export, the monitoring series checked against the records sent, and bad
// input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "daemons/portal/call_log_testing.h"
#include "daemons/portal/rollup_histogram.h"
#include "daemons/portal/tests/portal_process.h"
#include "lib/base/time_format.h"
#include "lib/http/client.h"

namespace hai::portal::testing {
namespace {

using nlohmann::json;

constexpr int64_t kHour = 3600 * 1000;
// 2026-11-22T06:00:00Z: an hour boundary, so hour buckets are known.
constexpr int64_t kBase = 1795327200000;

class CallLogsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    portal_ = new PortalProcess();
    ASSERT_TRUE(portal_->ok());
    admin_ = portal_->AdminToken();
    org_a_ = portal_->CreateOrg(admin_, "Cardiology");
    org_b_ = portal_->CreateOrg(admin_, "Radiology");
    admin_a_ = portal_->CreateUser(admin_, "admin_a", org_a_, "org_admin");
    dev_a_ = portal_->CreateUser(admin_, "dev_a", org_a_, "developer");
    caller_a_ = portal_->CreateUser(admin_, "caller_a", org_a_, "caller");
    admin_b_ = portal_->CreateUser(admin_, "admin_b", org_b_, "org_admin");
    // Calls over three hours: org A by its three members, org B by its admin.
    std::mt19937_64 rng(17);
    const std::vector<std::pair<int64_t, int64_t>> callers = {
        {org_a_, admin_a_}, {org_a_, dev_a_}, {org_a_, caller_a_}, {org_b_, admin_b_}};
    for (int i = 0; i < 360; ++i) {
      CallRecord r =
          SampleRecord(rng, kBase + i * 30'000 + static_cast<int64_t>(rng() % 30'000), i);
      std::tie(r.org_id, r.user_id) = callers[static_cast<size_t>(i) % callers.size()];
      sent_.push_back(r);
    }
    // Batches small enough for the test rig's 64 KiB body limit.
    for (size_t i = 0; i < sent_.size(); i += 40) {
      json records = json::array();
      for (size_t j = i; j < std::min(sent_.size(), i + 40); ++j)
        records.push_back(RecordJson(sent_[j]));
      auto r = portal_->Send("POST", "/internal/v1/call-logs", portal_->ClusterToken(),
                             {{"records", records}});
      ASSERT_EQ(r.status, 200) << r.raw;
      ASSERT_EQ(r.body["accepted"], records.size());
      ASSERT_EQ(r.body["rejected"], 0);
    }
  }
  static void TearDownTestSuite() {
    delete portal_;
    portal_ = nullptr;
  }

  static int64_t Count(const std::function<bool(const CallRecord&)>& pred) {
    return static_cast<int64_t>(std::count_if(sent_.begin(), sent_.end(), pred));
  }
  static std::string Token(const char* user) {
    return portal_->Login(user, PortalProcess::kPassword);
  }
  // The total of GET /api/v1/call-logs?<query> as `token`; -1 on an error.
  static int64_t Total(const std::string& token, const std::string& query) {
    auto r = portal_->Send("GET", "/api/v1/call-logs?" + query, token);
    EXPECT_EQ(r.status, 200) << query << ": " << r.raw;
    return r.status == 200 ? r.body["total"].get<int64_t>() : -1;
  }
  static http::ClientResponse Get(const std::string& token, const std::string& path) {
    http::Client client("127.0.0.1", portal_->port());
    auto r = client.Send("GET", path, "", {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::ClientResponse{};
  }

  static PortalProcess* portal_;
  static std::string admin_;
  static int64_t org_a_, org_b_, admin_a_, dev_a_, caller_a_, admin_b_;
  static std::vector<CallRecord> sent_;
};

PortalProcess* CallLogsApiTest::portal_ = nullptr;
std::string CallLogsApiTest::admin_;
int64_t CallLogsApiTest::org_a_, CallLogsApiTest::org_b_, CallLogsApiTest::admin_a_,
    CallLogsApiTest::dev_a_, CallLogsApiTest::caller_a_, CallLogsApiTest::admin_b_;
std::vector<CallRecord> CallLogsApiTest::sent_;

TEST_F(CallLogsApiTest, IngestNeedsTheClusterToken) {
  json body = {{"records", json::array({RecordJson(sent_[0])})}};
  EXPECT_EQ(portal_->Send("POST", "/internal/v1/call-logs", "", body).status, 401);
  EXPECT_EQ(portal_->Send("POST", "/internal/v1/call-logs", admin_, body).status, 401);
  EXPECT_EQ(portal_->Send("POST", "/internal/v1/call-logs", "not-the-token", body).status, 401);
  EXPECT_EQ(Total(admin_, ""), static_cast<int64_t>(sent_.size()));
}

TEST_F(CallLogsApiTest, ARejectedBatchOrRecordStoresNothingOfIt) {
  const std::string token = portal_->ClusterToken();
  auto not_json = portal_->SendRaw("POST", "/internal/v1/call-logs", token, "{\"records\": [");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.body["error"]["field"], "records");
  auto no_array = portal_->Send("POST", "/internal/v1/call-logs", token, {{"records", 3}});
  EXPECT_EQ(no_array.status, 400);
  auto too_big = portal_->SendRaw("POST", "/internal/v1/call-logs", token,
                                  "{\"records\":[],\"pad\":\"" + std::string(70000, 'x') + "\"}");
  EXPECT_EQ(too_big.status, 413);

  std::mt19937_64 rng(99);
  json records = json::array();
  std::vector<std::string> good, bad;
  for (int i = 0; i < 6; ++i) {
    CallRecord r = SampleRecord(rng, kBase + 10 * kHour + i, 10'000 + i);
    r.org_id = org_b_;
    r.user_id = admin_b_;
    json j = RecordJson(r);
    if (i % 3 == 1) {
      j["time_ms"] = "yesterday";
      bad.push_back(r.request_id);
    } else if (i % 3 == 2) {
      j.erase("org_id");
      bad.push_back(r.request_id);
    } else {
      good.push_back(r.request_id);
      sent_.push_back(r);  // stored: the later tests count it
    }
    records.push_back(j);
  }
  auto r = portal_->Send("POST", "/internal/v1/call-logs", token, {{"records", records}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["accepted"], 2);
  EXPECT_EQ(r.body["rejected"], 4);
  for (const std::string& id : good) EXPECT_EQ(Total(admin_, "request_id=" + id), 1) << id;
  for (const std::string& id : bad) EXPECT_EQ(Total(admin_, "request_id=" + id), 0) << id;
  EXPECT_EQ(Total(admin_, "from=" + std::to_string(kBase + 10 * kHour)), 2);
}

TEST_F(CallLogsApiTest, EveryFilter) {
  const CallRecord& probe = sent_[77];
  const std::string from = FormatIso8601(kBase + kHour), to = FormatIso8601(kBase + 2 * kHour);
  struct Case {
    std::string query;
    std::function<bool(const CallRecord&)> want;
  };
  const std::vector<Case> cases = {
      {"from=" + from + "&to=" + to,
       [](const CallRecord& r) {
         return r.time_ms >= kBase + kHour && r.time_ms < kBase + 2 * kHour;
       }},
      {"from=" + std::to_string(kBase + kHour),  // epoch milliseconds work too
       [](const CallRecord& r) { return r.time_ms >= kBase + kHour; }},
      {"org_id=" + std::to_string(org_b_), [](const CallRecord& r) { return r.org_id == org_b_; }},
      {"service_id=2", [](const CallRecord& r) { return r.service_id == 2; }},
      {"service=svc-3", [](const CallRecord& r) { return r.service == "svc-3"; }},
      {"api_key_prefix=" + probe.api_key_prefix,
       [&](const CallRecord& r) { return r.api_key_prefix == probe.api_key_prefix; }},
      {"user_id=" + std::to_string(dev_a_),
       [](const CallRecord& r) { return r.user_id == dev_a_; }},
      {"status=failure", [](const CallRecord& r) { return r.failed; }},
      {"status=success&stream=true", [](const CallRecord& r) { return !r.failed && r.stream; }},
      {"status_code=200", [](const CallRecord& r) { return r.status_code == 200; }},
      {"request_id=" + probe.request_id,
       [&](const CallRecord& r) { return r.request_id == probe.request_id; }},
      {"stream=false", [](const CallRecord& r) { return !r.stream; }},
  };
  for (const Case& c : cases) {
    const int64_t want = Count(c.want);
    ASSERT_GT(want, 0) << c.query;
    ASSERT_LT(want, static_cast<int64_t>(sent_.size())) << c.query;
    EXPECT_EQ(Total(admin_, c.query), want) << c.query;
  }
  auto page = portal_->Send("GET", "/api/v1/call-logs?limit=3&offset=1", admin_);
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.body["items"].size(), 3u);
  auto times = std::vector<int64_t>{};
  for (const auto& item : page.body["items"]) times.push_back(item["time_ms"].get<int64_t>());
  EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend())) << "newest first";
  std::vector<int64_t> all;
  for (const CallRecord& r : sent_) all.push_back(r.time_ms);
  std::sort(all.rbegin(), all.rend());
  EXPECT_EQ(times[0], all[1]);
}

TEST_F(CallLogsApiTest, AnItemCarriesEveryFieldOfTheRecord) {
  const CallRecord& want = sent_[5];
  auto r = portal_->Send("GET", "/api/v1/call-logs?request_id=" + want.request_id, admin_);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["items"].size(), 1u);
  json item = r.body["items"][0];
  json sent = RecordJson(want);
  for (auto& [key, value] : sent.items()) EXPECT_EQ(item[key], value) << key;
  EXPECT_EQ(item["time"], FormatIso8601(want.time_ms));
  EXPECT_EQ(item["org_name"], want.org_id == org_a_ ? "Cardiology" : "Radiology");
  EXPECT_FALSE(item["user_name"].get<std::string>().empty());
}

TEST_F(CallLogsApiTest, TenantsSeeOnlyTheirCalls) {
  const int64_t in_a = Count([](const CallRecord& r) { return r.org_id == org_a_; });
  const int64_t in_b = Count([](const CallRecord& r) { return r.org_id == org_b_; });
  ASSERT_GT(in_a, 0);
  ASSERT_GT(in_b, 0);
  const std::string a = Token("admin_a"), dev = Token("dev_a"), caller = Token("caller_a"),
                    b = Token("admin_b");
  EXPECT_EQ(Total(a, ""), in_a);
  EXPECT_EQ(Total(a, "org_id=" + std::to_string(org_b_)), 0);
  EXPECT_EQ(Total(a, "user_id=" + std::to_string(admin_b_)), 0);
  EXPECT_EQ(Total(dev, ""), in_a);
  EXPECT_EQ(Total(b, ""), in_b);
  EXPECT_EQ(Total(b, "org_id=" + std::to_string(org_a_)), 0);
  EXPECT_EQ(Total(caller, ""), Count([](const CallRecord& r) { return r.user_id == caller_a_; }));
  EXPECT_EQ(Total(caller, "user_id=" + std::to_string(dev_a_)), 0);
  auto items = portal_->Send("GET", "/api/v1/call-logs?limit=500", caller);
  for (const auto& item : items.body["items"]) EXPECT_EQ(item["user_id"], caller_a_);
  // A request id from another organisation is simply not there.
  const CallRecord& theirs = *std::find_if(sent_.begin(), sent_.end(),
                                           [](const CallRecord& r) { return r.org_id == org_b_; });
  EXPECT_EQ(Total(a, "request_id=" + theirs.request_id), 0);
  // Monitoring: org admins and developers, never callers.
  EXPECT_EQ(portal_->Send("GET", "/api/v1/monitoring/series", caller).status, 403);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/monitoring/series", dev).status, 200);
}

TEST_F(CallLogsApiTest, CsvExportHasTheHeaderAndTheFilteredRows) {
  auto res = Get(Token("admin_a"), "/api/v1/call-logs?format=csv&status=success");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Header("Content-Type").rfind("text/csv", 0), 0u) << res.Header("Content-Type");
  EXPECT_EQ(res.Header("Content-Disposition"), "attachment; filename=\"call-logs.csv\"");
  EXPECT_EQ(res.Header("X-Hai-Truncated"), "");
  std::vector<std::string> lines;
  for (size_t at = 0; at < res.body.size();) {
    size_t end = res.body.find("\r\n", at);
    lines.push_back(res.body.substr(at, end - at));
    at = end + 2;
  }
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].substr(0, 44), "id,time,time_ms,request_id,org_id,org_name,u");
  EXPECT_NE(lines[0].find(",ttft_ms,tpot_ms,latency_ms,tps"), std::string::npos);
  const int64_t want = Count([](const CallRecord& r) { return r.org_id == org_a_ && !r.failed; });
  EXPECT_EQ(static_cast<int64_t>(lines.size()) - 1, want);
  for (size_t i = 1; i < lines.size(); ++i)
    EXPECT_NE(lines[i].find(",Cardiology,"), std::string::npos);
  EXPECT_EQ(lines[1].find(",failure,"), std::string::npos);
}

TEST_F(CallLogsApiTest, MonitoringSeriesMatchesTheRecordsSent) {
  const std::string a = Token("admin_a");
  auto r =
      portal_->Send("GET",
                    "/api/v1/monitoring/series?granularity=hour&from=" + FormatIso8601(kBase + 1) +
                        "&to=" + FormatIso8601(kBase + 3 * kHour),
                    a);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["granularity"], "hour");
  EXPECT_EQ(r.body["from"], FormatIso8601(kBase));  // aligned to the bucket
  ASSERT_EQ(r.body["points"].size(), 3u);
  for (int h = 0; h < 3; ++h) {
    const json& p = r.body["points"][static_cast<size_t>(h)];
    EXPECT_EQ(p["time"], FormatIso8601(kBase + h * kHour));
    auto in_hour = [&](const CallRecord& c) {
      return c.org_id == org_a_ && c.time_ms >= kBase + h * kHour &&
             c.time_ms < kBase + (h + 1) * kHour;
    };
    int64_t calls = 0, failures = 0, tokens = 0;
    std::vector<int64_t> latency;
    for (const CallRecord& c : sent_) {
      if (!in_hour(c)) continue;
      ++calls;
      failures += c.failed;
      tokens += c.input_tokens + c.output_tokens;
      if (!c.failed) latency.push_back(c.latency_us);
    }
    EXPECT_EQ(p["calls"], calls);
    EXPECT_EQ(p["failures"], failures);
    EXPECT_DOUBLE_EQ(p["failure_rate"].get<double>(), static_cast<double>(failures) / calls);
    EXPECT_DOUBLE_EQ(p["tpm"].get<double>(), static_cast<double>(tokens) / 60);
    ASSERT_FALSE(latency.empty());
    int64_t sum = 0;
    for (int64_t v : latency) sum += v;
    EXPECT_EQ(p["latency"]["count"], latency.size());
    EXPECT_NEAR(p["latency"]["mean"].get<double>(),
                static_cast<double>(sum) / 1000 / static_cast<double>(latency.size()), 1e-9);
    std::sort(latency.begin(), latency.end());
    const int64_t p90 =
        latency[static_cast<size_t>(std::ceil(0.9 * static_cast<double>(latency.size()))) - 1];
    const int b = RollupHistogram::BucketOf(p90);
    EXPECT_GE(p["latency"]["p90"].get<double>(), RollupHistogram::LowerEdge(b) - 1e-9);
    EXPECT_LE(p["latency"]["p90"].get<double>(), RollupHistogram::UpperEdge(b) + 1e-9);
  }
  // The platform admin sees both organisations; org_id narrows.
  auto all =
      portal_->Send("GET",
                    "/api/v1/monitoring/series?granularity=day&from=" + std::to_string(kBase) +
                        "&to=" + std::to_string(kBase + 4 * kHour),
                    admin_);
  ASSERT_EQ(all.status, 200) << all.raw;
  int64_t calls = 0;
  for (const auto& p : all.body["points"]) calls += p["calls"].get<int64_t>();
  EXPECT_EQ(calls, static_cast<int64_t>(sent_.size()));
  auto other = portal_->Send(
      "GET",
      "/api/v1/monitoring/series?granularity=day&from=2026-11-01&org_id=" + std::to_string(org_b_),
      a);
  ASSERT_EQ(other.status, 200);
  EXPECT_TRUE(other.body["points"].empty()) << "org A's admin must not see org B";
}

TEST_F(CallLogsApiTest, BadInputNamesTheParameter) {
  struct Bad {
    std::string path;
    std::string field;
  };
  const std::vector<Bad> cases = {
      {"/api/v1/monitoring/series?granularity=week", "granularity"},
      {"/api/v1/monitoring/series?from=last-tuesday", "from"},
      {"/api/v1/monitoring/series?to=soon", "to"},
      {"/api/v1/monitoring/series?from=2026-11-22&to=2026-11-21", "from"},
      {"/api/v1/monitoring/series?granularity=minute&from=2026-10-01&to=2026-11-22", "from"},
      {"/api/v1/monitoring/series?org_id=abc", "org_id"},
      {"/api/v1/call-logs?status=ok", "status"},
      {"/api/v1/call-logs?stream=yes", "stream"},
      {"/api/v1/call-logs?from=2026-13-45", "from"},
      {"/api/v1/call-logs?from=2026-11-22&to=2026-11-01", "from"},
      {"/api/v1/call-logs?limit=0", "limit"},
      {"/api/v1/call-logs?format=xml", "format"},
      {"/api/v1/call-logs?sort=latency", "sort"},
      {"/api/v1/call-logs?status_code=fine", "status_code"},
  };
  for (const Bad& c : cases) {
    auto r = portal_->Send("GET", c.path, admin_);
    EXPECT_EQ(r.status, 400) << c.path << ": " << r.raw;
    EXPECT_EQ(r.body["error"]["field"], c.field) << c.path << ": " << r.raw;
  }
  auto range = portal_->Send(
      "GET", "/api/v1/monitoring/series?granularity=minute&from=2026-10-01&to=2026-11-22", admin_);
  EXPECT_NE(range.body["error"]["message"].get<std::string>().find("10000"), std::string::npos);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/call-logs", "").status, 401);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/monitoring/series", "").status, 401);
}

}  // namespace
}  // namespace hai::portal::testing
