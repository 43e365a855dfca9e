// Call records as the proxy writes them (rig: proxy_test_fixture.h): one per
// call of a known caller, failures included, with the usage from the
// engine's answer or counted by the gateway.
#include <gtest/gtest.h>

#include "daemons/gateway/proxy_test_fixture.h"

namespace hai::gateway {
namespace {

using namespace proxy_testing;

class CallRecordsTest : public GatewayTest {
 protected:
  CallRecord RecordOf(const Reply& r) { return RecordOf(r.raw.Header("X-Request-Id")); }
  CallRecord RecordOf(const std::string& request_id) {
    auto record = records_.Of(request_id);
    EXPECT_TRUE(record) << "no record for " << request_id;
    return record.value_or(CallRecord{});
  }
  const std::string kAskUsage =
      R"({"model":"ward-chat","stream":true,"stream_options":{"include_usage":true},)"
      R"("messages":[{"role":"user","content":"hi"}]})";
};

TEST_F(CallRecordsTest, ANonStreamedCallWithTheEnginesUsage) {
  Replica& replica = NewReplica();
  replica.reports_usage = true;
  Serve({{replica.address()}});
  auto reply = Post("sk-ward", kAsk, "/v1/chat/completions", {{"User-Agent", "ward-app/2.1"}});
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, kAnswerWithUsage) << "unchanged";
  CallRecord r = RecordOf(reply);
  EXPECT_EQ(r.time_ms, clock_.NowMs());
  EXPECT_EQ(r.org_id, 7);
  EXPECT_EQ(r.user_id, 70);
  EXPECT_EQ(r.api_key_id, keys_.keys["sk-ward"].key_id);
  EXPECT_EQ(r.api_key_prefix, "sk-ward") << "shorter than a prefix: all of it";
  EXPECT_EQ(r.source, "api");
  EXPECT_EQ(r.service_id, 1);
  EXPECT_EQ(r.service, "ward-chat");
  EXPECT_EQ(r.deployment_id, 1);
  EXPECT_EQ(r.replica_id, 100);
  EXPECT_EQ(r.endpoint, "chat/completions");
  EXPECT_EQ(r.status, "success");
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.client_ip, "127.0.0.1");
  EXPECT_EQ(r.user_agent, "ward-app/2.1");
  EXPECT_FALSE(r.stream);
  EXPECT_EQ(r.input_tokens, 11);
  EXPECT_EQ(r.output_tokens, 3);
  EXPECT_EQ(r.total_tokens, 14);
  EXPECT_EQ(r.usage_source, "engine");
  EXPECT_FALSE(r.ttft_ms);
  EXPECT_FALSE(r.tpot_ms);
  EXPECT_GT(r.latency_ms, 0);
  ASSERT_TRUE(r.tps);
  EXPECT_DOUBLE_EQ(*r.tps, 3 / (r.latency_ms / 1000));
}

TEST_F(CallRecordsTest, WithoutUsageTheGatewayCounts) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  CallRecord r = RecordOf(Post("sk-ward", kAsk));
  EXPECT_EQ(r.usage_source, "counted");
  EXPECT_EQ(r.input_tokens, 1) << "\"hi\": 2 bytes";
  EXPECT_EQ(r.output_tokens, 0) << "the answer has no choices";
  EXPECT_FALSE(r.tps);
  auto stream = Post("sk-ward", kAskStream);
  ASSERT_EQ(stream.status, 200);
  r = RecordOf(stream);
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.usage_source, "counted");
  EXPECT_EQ(r.input_tokens, 1);
  EXPECT_EQ(r.output_tokens, 2) << "two events with content";
  EXPECT_EQ(r.total_tokens, 3);
  ASSERT_TRUE(r.ttft_ms);
  EXPECT_LE(*r.ttft_ms, r.latency_ms);
  ASSERT_TRUE(r.tpot_ms);
  EXPECT_DOUBLE_EQ(*r.tpot_ms, r.latency_ms - *r.ttft_ms);
  auto embed = Post("sk-ward", R"({"model":"ward-chat","input":"abcdefgh"})", "/v1/embeddings");
  r = RecordOf(embed);
  EXPECT_EQ(r.endpoint, "embeddings");
  EXPECT_EQ(r.input_tokens, 2);
}

TEST_F(CallRecordsTest, AStreamsUsageEventIsReadAsItPasses) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  auto reply = Post("sk-ward", kAskUsage);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, kEvents[0] + kEvents[1] + kUsageEvent + kEvents[2]) << "unchanged";
  CallRecord r = RecordOf(reply);
  EXPECT_EQ(r.usage_source, "engine");
  EXPECT_EQ(r.input_tokens, 9);
  EXPECT_EQ(r.output_tokens, 2);
  EXPECT_EQ(r.total_tokens, 11);
  EXPECT_EQ(r.status, "success");
  ASSERT_TRUE(r.ttft_ms);
  ASSERT_TRUE(r.tpot_ms);
  EXPECT_DOUBLE_EQ(*r.tpot_ms, (r.latency_ms - *r.ttft_ms) / 1);
}

TEST_F(CallRecordsTest, EveryCallOfAKnownCallerLeavesOneRecordFailuresIncluded) {
  Replica& replica = NewReplica();
  Replica& failing = NewReplica(Replica::Mode::kFail500);
  Serve({{replica.address()}});
  struct Case {
    std::string key, body;
    int status_code;
    std::string error, service;
    std::optional<int64_t> service_id;
  };
  const std::vector<Case> cases = {
      {"sk-ward", kAsk, 200, "", "ward-chat", 1},
      {"sk-manage", kAsk, 403, "insufficient_scope", "ward-chat", std::nullopt},
      {"sk-only-notes", kAsk, 403, "model_not_allowed", "ward-chat", std::nullopt},
      {"sk-ward", R"({"model":"no-such"})", 404, "model_not_found", "no-such", std::nullopt},
      {"sk-lab", kAsk, 404, "model_not_found", "ward-chat", std::nullopt},
      {"sk-lab", R"({"model":"lab-chat"})", 503, "no_ready_replica", "lab-chat", 3},
      {"sk-ward", "{\"model\":", 400, "invalid_json", "", std::nullopt},
  };
  std::set<std::string> ids;
  for (const Case& c : cases) {
    auto reply = Post(c.key, c.body);
    ASSERT_EQ(reply.status, c.status_code) << reply.body;
    CallRecord r = RecordOf(reply);
    ids.insert(r.request_id);
    EXPECT_EQ(r.status_code, c.status_code) << c.key << " " << c.body;
    EXPECT_EQ(r.status, c.status_code == 200 ? "success" : "failure");
    EXPECT_EQ(r.error, c.error) << c.key << " " << c.body;
    EXPECT_EQ(r.service, c.service) << c.key << " " << c.body;
    EXPECT_EQ(r.service_id, c.service_id) << c.key << " " << c.body;
    EXPECT_EQ(r.org_id, keys_.keys[c.key].org_id);
    EXPECT_EQ(r.usage_source, c.status_code == 200 ? "counted" : "none");
  }
  // The engine's own 5xx, after every replica (one) failed.
  Serve({{failing.address()}});
  auto reply = Post("sk-ward", kAsk);
  ASSERT_EQ(reply.status, 500);
  CallRecord r = RecordOf(reply);
  ids.insert(r.request_id);
  EXPECT_EQ(r.error, "http_500") << "the engine's error names no code";
  EXPECT_EQ(r.replica_id, 100);
  // Callers never identified leave none.
  EXPECT_EQ(Post("sk-nobody", kAsk).status, 401);
  EXPECT_EQ(Post("", kAsk).status, 401);
  ids.insert(RecordOf(Post("sk-ward", R"({"model":"notes"})")).request_id);
  EXPECT_EQ(records_.size(), ids.size());
  EXPECT_EQ(ids.size(), cases.size() + 2);
}

TEST_F(CallRecordsTest, ABrokenStreamIsAFailureWithTheTokensItSent) {
  Replica& broken = NewReplica(Replica::Mode::kBreakMidStream);
  Serve({{broken.address()}});
  auto reply = Post("sk-ward", kAskStream);
  ASSERT_EQ(reply.status, 200);
  CallRecord r = RecordOf(reply);
  EXPECT_EQ(r.status, "failure");
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(r.error, "upstream_stream_broken");
  EXPECT_EQ(r.output_tokens, 1);
  EXPECT_EQ(r.usage_source, "counted");
}

TEST_F(CallRecordsTest, ACallerWhoLeavesIs499) {
  Replica& endless = NewReplica(Replica::Mode::kEndless);
  Serve({{endless.address()}});
  http::Client client("127.0.0.1", server_->port(), 10000);
  auto r = client.SendStreaming(
      "POST", "/v1/chat/completions", kAskStream,
      {{"Authorization", "Bearer sk-ward"}, {"X-Request-Id", "leaving-caller-1"}},
      [](std::string_view) { return false; });
  EXPECT_FALSE(r.ok());
  CallRecord record = RecordOf("leaving-caller-1");
  EXPECT_EQ(record.status_code, 499);
  EXPECT_EQ(record.status, "failure");
  EXPECT_EQ(record.error, "client_closed_request");
  EXPECT_TRUE(record.stream);
}

}  // namespace
}  // namespace hai::gateway
