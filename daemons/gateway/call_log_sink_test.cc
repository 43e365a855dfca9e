// The sink against a small HTTP server standing in for the portal's
// POST /internal/v1/call-logs: it records what arrives and answers as told.
#include "daemons/gateway/call_log_sink.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <nlohmann/json.hpp>

#include "lib/http/server.h"

namespace hai::gateway {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kToken = "cluster-token-for-sink-tests-0123456789";

class PortalDouble {
 public:
  PortalDouble() {
    router_.Add("POST", CallLogSink::kPath, [this](http::Request& req) { return Take(req); });
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~PortalDouble() { server_->Stop(); }
  http::HttpUrl url() const { return {"127.0.0.1", server_->port()}; }

  // Every record stored so far, once `n` have been (bounded wait).
  std::vector<json> WaitRecords(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 10s, [&] { return records_.size() >= n; });
    return records_;
  }
  // Waits (bounded) until `n` POSTs arrived, answered or not.
  int WaitPosts(int n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 10s, [&] { return posts_ >= n; });
    return posts_;
  }
  std::vector<size_t> batch_sizes() {
    std::lock_guard lock(mu_);
    return batch_sizes_;
  }

  std::atomic<int> status{200};
  std::atomic<int> reject_each{0};  // records of each batch answered as rejected

 private:
  http::Response Take(http::Request& req) {
    std::lock_guard lock(mu_);
    ++posts_;
    cv_.notify_all();
    if (req.Header("authorization") != std::string("Bearer ") + kToken)
      return http::Response::Json(401, {{"error", {{"code", "unauthorized"}}}});
    if (status != 200) return http::Response::Json(status, {{"error", {{"code", "nope"}}}});
    json body = json::parse(req.body);
    const auto n = static_cast<int>(body["records"].size());
    const int rejected = std::min(n, reject_each.load());
    for (int i = rejected; i < n; ++i) records_.push_back(body["records"][static_cast<size_t>(i)]);
    batch_sizes_.push_back(static_cast<size_t>(n));
    return http::Response::Json(200, {{"accepted", n - rejected}, {"rejected", rejected}});
  }

  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> records_;
  std::vector<size_t> batch_sizes_;
  int posts_ = 0;
};

CallRecord Record(int i) {
  CallRecord r;
  r.request_id = "req-" + std::to_string(i);
  r.time_ms = 1'767'261'600'000 + i;
  r.org_id = 7;
  r.source = "api";
  r.api_key_id = 3;
  r.api_key_prefix = "sk-hai-abcdefg";
  r.service = "ward-chat";
  r.endpoint = "chat/completions";
  r.status = "success";
  r.status_code = 200;
  r.user_agent = "bad \xff byte";
  return r;
}

class CallLogSinkTest : public ::testing::Test {
 protected:
  std::unique_ptr<CallLogSink> Sink(CallLogOptions options, http::HttpUrl url) {
    return std::make_unique<CallLogSink>(url, kToken, options, &metrics_);
  }
  // Polls a counter until it reaches `want` (bounded).
  bool CounterReaches(metrics::Family* family, const metrics::Labels& labels, double want) {
    for (int i = 0; i < 1000 && family->Value(labels) < want; ++i)
      std::this_thread::sleep_for(10ms);
    return family->Value(labels) >= want;
  }

  PortalDouble portal_;
  metrics::Registry registry_;
  GatewayMetrics metrics_{&registry_};
};

TEST_F(CallLogSinkTest, FullBatchesGoAtOnceAndStopSendsTheRest) {
  auto sink = Sink({100, 3, 600'000, 3, 10, 5000}, portal_.url());
  sink->Start();
  for (int i = 0; i < 7; ++i) sink->Add(Record(i));
  auto records = portal_.WaitRecords(6);
  ASSERT_EQ(records.size(), 6u) << "two full batches, without waiting for flush_ms";
  sink->Stop(5s);
  records = portal_.WaitRecords(7);
  ASSERT_EQ(records.size(), 7u);
  EXPECT_EQ(portal_.batch_sizes(), (std::vector<size_t>{3, 3, 1}));
  for (int i = 0; i < 7; ++i)
    EXPECT_EQ(records[static_cast<size_t>(i)]["request_id"], "req-" + std::to_string(i));
  // Every field of the contract, nulls included.
  const json& r = records[0];
  for (const char* field : {"request_id",   "time_ms",
                            "org_id",       "user_id",
                            "api_key_id",   "api_key_prefix",
                            "source",       "service_id",
                            "service",      "deployment_id",
                            "replica_id",   "endpoint",
                            "status",       "status_code",
                            "error",        "client_ip",
                            "user_agent",   "stream",
                            "input_tokens", "output_tokens",
                            "total_tokens", "usage_source",
                            "ttft_ms",      "tpot_ms",
                            "latency_ms",   "tps"})
    EXPECT_TRUE(r.contains(field)) << field;
  EXPECT_EQ(r.size(), 26u);
  EXPECT_TRUE(r["user_id"].is_null());
  EXPECT_EQ(r["api_key_id"], 3);
  EXPECT_EQ(r["user_agent"], "bad \xEF\xBF\xBD byte") << "not UTF-8: replaced, not lost";
  EXPECT_EQ(metrics_.call_log_sent->Value({}), 7);
  EXPECT_EQ(metrics_.call_log_queue->Value({}), 0);
}

TEST_F(CallLogSinkTest, APartialBatchGoesAfterFlushMs) {
  auto sink = Sink({100, 1000, 20, 3, 10, 5000}, portal_.url());
  sink->Start();
  sink->Add(Record(1));
  EXPECT_EQ(portal_.WaitRecords(1).size(), 1u);
}

TEST_F(CallLogSinkTest, AFullQueueDropsAndCounts) {
  auto sink = Sink({5, 1000, 600'000, 3, 10, 5000}, portal_.url());
  for (int i = 0; i < 8; ++i) sink->Add(Record(i));  // not started: nothing leaves the queue
  EXPECT_EQ(metrics_.call_log_dropped->Value({{"reason", "queue_full"}}), 3);
  EXPECT_EQ(metrics_.call_log_queue->Value({}), 5);
  sink->Start();
  sink->Stop(5s);
  EXPECT_EQ(portal_.WaitRecords(5).size(), 5u);
}

TEST_F(CallLogSinkTest, FailedSendsAreRetriedABoundedNumberOfTimesThenDropped) {
  portal_.status = 503;
  auto sink = Sink({100, 2, 600'000, 3, 10, 5000}, portal_.url());
  sink->Start();
  sink->Add(Record(1));
  sink->Add(Record(2));
  EXPECT_TRUE(CounterReaches(metrics_.call_log_dropped, {{"reason", "send_failed"}}, 2));
  EXPECT_EQ(portal_.WaitPosts(3), 3) << "three attempts";
  // The portal is back: later records go through.
  portal_.status = 200;
  sink->Add(Record(3));
  sink->Add(Record(4));
  EXPECT_EQ(portal_.WaitRecords(2).size(), 2u);
  EXPECT_EQ(metrics_.call_log_dropped->Value({{"reason", "send_failed"}}), 2);
}

TEST_F(CallLogSinkTest, RefusedBatchesAndRejectedRecordsAreCounted) {
  portal_.status = 400;
  auto sink = Sink({100, 2, 600'000, 3, 10, 5000}, portal_.url());
  sink->Start();
  sink->Add(Record(1));
  sink->Add(Record(2));
  EXPECT_TRUE(CounterReaches(metrics_.call_log_dropped, {{"reason", "refused"}}, 2));
  EXPECT_EQ(portal_.WaitPosts(1), 1) << "a 4xx is not tried again";
  portal_.status = 200;
  portal_.reject_each = 1;
  sink->Add(Record(3));
  sink->Add(Record(4));
  EXPECT_TRUE(CounterReaches(metrics_.call_log_dropped, {{"reason", "rejected"}}, 1));
  EXPECT_TRUE(CounterReaches(metrics_.call_log_sent, {}, 1));
}

TEST_F(CallLogSinkTest, StoppingWhileThePortalIsAwayIsBounded) {
  auto sink =
      Sink({100, 1000, 600'000, 5, 60'000, 60'000}, {"127.0.0.1", 1});  // nothing listens on port 1
  sink->Start();
  for (int i = 0; i < 3; ++i) sink->Add(Record(i));
  sink->Stop(100ms);
  const double lost = metrics_.call_log_dropped->Value({{"reason", "send_failed"}}) +
                      metrics_.call_log_dropped->Value({{"reason", "shutdown"}});
  EXPECT_EQ(lost, 3);
}

TEST(CallLogBodiesTest, BatchesStayWithinThePortalsLimits) {
  std::vector<CallRecord> batch;
  for (int i = 0; i < 20; ++i) {
    batch.push_back(Record(i));
    batch.back().service = std::string(1 << 20, 'x');  // 1 MiB each
  }
  auto bodies = CallLogSink::Bodies(batch);
  ASSERT_EQ(bodies.size(), 3u);
  size_t records = 0;
  for (const auto& b : bodies) {
    EXPECT_LE(b.text.size(), CallLogSink::kMaxBatchBytes);
    auto j = json::parse(b.text);
    EXPECT_EQ(j["records"].size(), b.records);
    records += b.records;
  }
  EXPECT_EQ(records, 20u);
  batch.assign(CallLogSink::kMaxBatchRecords + 1, Record(1));
  bodies = CallLogSink::Bodies(batch);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0].records, CallLogSink::kMaxBatchRecords);
}

}  // namespace
}  // namespace hai::gateway
