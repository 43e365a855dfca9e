// What hai-gateway records and enforces, through real processes (the
// cluster: gateway_cluster_test.h): one call-log row per call in the
// portal, rate limits set in the portal, and the playground's delegated
// calls.
#include <gtest/gtest.h>

#include <thread>

#include "daemons/gateway/tests/gateway_cluster_test.h"
#include "lib/tokenizer/tokenizer.h"

namespace hai::gateway::testing {
namespace {

class GatewayCallLogTest : public GatewayClusterTest {
 protected:
  // The one row of a request (a test failure unless exactly one).
  json Row(const GatewayProcess::Reply& reply) {
    const std::string id = reply.raw.Header("X-Request-Id");
    json rows = Rows(id);
    EXPECT_EQ(rows.size(), 1u) << id << ": " << rows.dump();
    return rows.empty() ? json::object() : rows[0];
  }
  // The events of a stream that carry generated text.
  static int64_t ContentEvents(const std::string& stream) {
    int64_t n = 0;
    for (size_t at = 0; (at = stream.find("data: {", at)) != std::string::npos; ++at) {
      const size_t end = stream.find("\n\n", at);
      json event = json::parse(stream.substr(at + 6, end - at - 6), nullptr, false);
      if (!event.is_object() || !event.contains("choices")) continue;
      for (const auto& c : event["choices"])
        if (c.contains("delta") && c["delta"].value("content", "") != "") {
          ++n;
          break;
        }
    }
    return n;
  }
  // The generated text of a stream, every event's delta in order.
  static std::string StreamText(const std::string& stream) {
    std::string text;
    for (size_t at = 0; (at = stream.find("data: {", at)) != std::string::npos; ++at) {
      json event =
          json::parse(stream.substr(at + 6, stream.find("\n\n", at) - at - 6), nullptr, false);
      if (!event.is_object() || !event.contains("choices")) continue;
      for (const auto& c : event["choices"])
        if (c.contains("delta")) text += c["delta"].value("content", "");
    }
    return text;
  }
  // The `usage` the stream's last usage event reported.
  static json StreamUsage(const std::string& stream) {
    json usage;
    for (size_t i = 0; (i = stream.find("data: {", i)) != std::string::npos; ++i) {
      json event =
          json::parse(stream.substr(i + 6, stream.find("\n\n", i) - i - 6), nullptr, false);
      if (event.is_object() && event.contains("usage") && event["usage"].is_object())
        usage = event["usage"];
    }
    return usage;
  }
};

TEST_F(GatewayCallLogTest, EachCallLeavesExactlyOneRowWithItsFields) {
  const int64_t service = CreateService("ward-chat", ward_);
  Deploy(service, 1);
  ASSERT_TRUE(WaitReady(service, 1)) << Replicas(service);
  int64_t key_id = 0;
  const std::string key = MakeKey(ward_dev_, ward_, {"inference"}, std::nullopt, &key_id);
  ASSERT_TRUE(WaitServed(key, "ward-chat"));

  auto plain = gateway_->Post(key, "/v1/chat/completions", Chat("ward-chat"),
                              {{"User-Agent", "ward-app/3"}});
  ASSERT_EQ(plain.status, 200) << plain.body;
  json row = Row(plain);
  EXPECT_EQ(row["org_id"], ward_);
  EXPECT_EQ(row["user_id"], ward_dev_id_);
  EXPECT_EQ(row["api_key_id"], key_id);
  EXPECT_EQ(row["api_key_prefix"], key.substr(0, 14));
  EXPECT_EQ(row["source"], "api");
  EXPECT_EQ(row["service_id"], service);
  EXPECT_EQ(row["service"], "ward-chat");
  EXPECT_EQ(row["deployment_id"], std::stoll(plain.raw.Header("X-Hai-Deployment")));
  EXPECT_EQ(row["replica_id"], std::stoll(plain.raw.Header("X-Hai-Replica")));
  EXPECT_EQ(row["endpoint"], "chat/completions");
  EXPECT_EQ(row["status"], "success");
  EXPECT_EQ(row["status_code"], 200);
  EXPECT_EQ(row["error"], "");
  EXPECT_EQ(row["client_ip"], "127.0.0.1");
  EXPECT_EQ(row["user_agent"], "ward-app/3");
  EXPECT_EQ(row["stream"], false);
  EXPECT_EQ(row["usage_source"], "engine");
  EXPECT_EQ(row["input_tokens"], plain.json["usage"]["prompt_tokens"]);
  EXPECT_EQ(row["output_tokens"], plain.json["usage"]["completion_tokens"]);
  EXPECT_EQ(row["total_tokens"], plain.json["usage"]["total_tokens"]);
  EXPECT_TRUE(row["ttft_ms"].is_null());
  EXPECT_GT(row["latency_ms"].get<double>(), 0);

  // A stream whose engine reports usage (asked with stream_options).
  json ask = json::parse(Chat("ward-chat", true));
  ask["stream_options"] = {{"include_usage", true}};
  auto with_usage = gateway_->Stream(key, "/v1/chat/completions", ask.dump());
  ASSERT_EQ(with_usage.status, 200);
  const json reported = StreamUsage(with_usage.body);
  ASSERT_TRUE(reported.is_object()) << with_usage.body;
  row = Row(with_usage);
  EXPECT_EQ(row["stream"], true);
  EXPECT_EQ(row["usage_source"], "engine");
  EXPECT_EQ(row["input_tokens"], reported["prompt_tokens"]);
  EXPECT_EQ(row["output_tokens"], reported["completion_tokens"]);
  EXPECT_FALSE(row["ttft_ms"].is_null());
  EXPECT_LE(row["ttft_ms"].get<double>(), row["latency_ms"].get<double>());

  // hai-engine sends no usage unless asked: the gateway counts.
  auto counted = gateway_->Stream(key, "/v1/chat/completions", Chat("ward-chat", true));
  ASSERT_EQ(counted.status, 200);
  EXPECT_EQ(StreamUsage(counted.body), json()) << "no usage in the stream";
  row = Row(counted);
  EXPECT_EQ(row["usage_source"], "counted");
  EXPECT_EQ(row["output_tokens"], ContentEvents(counted.body));
  EXPECT_EQ(row["input_tokens"], 5) << "\"hello, ward seven\": 17 bytes / 4, rounded up";

  // That call asked for the model's tokenizer (never loaded on a call's
  // path); once it is loaded (bounded wait), the gateway counts as the
  // engine does: the prompt as hai-engine reports it for the same request
  // non-streamed, the output as the model's tokenizer encodes the text sent.
  const json engine_prompt = plain.json["usage"]["prompt_tokens"];
  GatewayProcess::Reply exact;
  for (int i = 0; i < 100; ++i) {
    exact = gateway_->Stream(key, "/v1/chat/completions", Chat("ward-chat", true));
    ASSERT_EQ(exact.status, 200);
    row = Row(exact);
    if (row["input_tokens"] == engine_prompt) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(row["usage_source"], "counted");
  EXPECT_EQ(row["input_tokens"], engine_prompt) << "the tokenizer never loaded";
  auto tok = tokenizer::Tokenizer::Load(portal_->data_dir() + "/tiny/tokenizer.json");
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  const std::string text = StreamText(exact.body);
  EXPECT_FALSE(text.empty()) << exact.body;
  EXPECT_EQ(row["output_tokens"], (*tok)->Encode(text, /*special=*/false).size());
  EXPECT_EQ(row["total_tokens"],
            row["input_tokens"].get<int64_t>() + row["output_tokens"].get<int64_t>());

  // Failures of a known caller leave rows; an unknown caller none.
  auto unknown =
      gateway_->Post("sk-hai-" + std::string(43, 'Z'), "/v1/chat/completions", Chat("ward-chat"));
  ASSERT_EQ(unknown.status, 401);
  auto missing = gateway_->Post(key, "/v1/chat/completions", Chat("no-such"));
  ASSERT_EQ(missing.status, 404);
  row = Row(missing);
  EXPECT_EQ(row["status"], "failure");
  EXPECT_EQ(row["status_code"], 404);
  EXPECT_EQ(row["error"], "model_not_found");
  EXPECT_EQ(row["service"], "no-such");
  EXPECT_TRUE(row["service_id"].is_null());
  // Sent in order: the 401's record, had there been one, would be in by now.
  auto none = portal_->Send(
      "GET", "/api/v1/call-logs?request_id=" + unknown.raw.Header("X-Request-Id"), admin_);
  EXPECT_EQ(none.body["total"], 0) << none.raw;
  auto metrics = gateway_->Get("", "/metrics");
  EXPECT_NE(metrics.body.find("hai_gateway_call_log_sent_total"), std::string::npos);
  EXPECT_EQ(metrics.body.find(key.substr(0, 14)), std::string::npos) << "no key in any label";
}

TEST_F(GatewayCallLogTest, ARequestLimitSetInThePortal) {
  const int64_t service = CreateService("ward-chat", ward_);
  Deploy(service, 1);
  ASSERT_TRUE(WaitReady(service, 1)) << Replicas(service);
  ASSERT_TRUE(WaitServed(MakeKey(ward_dev_, ward_, {"inference"}), "ward-chat"));
  const std::string key =
      MakeKey(ward_dev_, ward_, {"inference"}, std::nullopt, nullptr, {{"rpm_limit", 2}});
  for (const char* remaining : {"1", "0"}) {
    auto r = gateway_->Post(key, "/v1/chat/completions", Chat("ward-chat", false, 1));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.raw.Header("X-RateLimit-Limit-Requests"), "2");
    EXPECT_EQ(r.raw.Header("X-RateLimit-Remaining-Requests"), remaining);
  }
  auto refused = gateway_->Post(key, "/v1/chat/completions", Chat("ward-chat", false, 1));
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.json["error"]["type"], "rate_limit_error");
  EXPECT_EQ(refused.json["error"]["code"], "rate_limit_exceeded");
  const int retry_after = std::stoi(refused.raw.Header("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(Row(refused)["status_code"], 429);
}

TEST_F(GatewayCallLogTest, ThePlaygroundCallsOnBehalfOfASignedInUser) {
  const int64_t service = CreateService("ward-chat", ward_);
  Deploy(service, 1);
  ASSERT_TRUE(WaitReady(service, 1)) << Replicas(service);
  ASSERT_TRUE(WaitServed(MakeKey(ward_dev_, ward_, {"inference"}), "ward-chat"));
  const std::string token = portal_->ClusterToken();
  const std::string who =
      "org_id=" + std::to_string(ward_) + ";user_id=" + std::to_string(ward_dev_id_);
  auto served = gateway_->Post(token, "/v1/chat/completions", Chat("ward-chat"),
                               {{"X-Hai-On-Behalf-Of", who}});
  ASSERT_EQ(served.status, 200) << served.body;
  json row = Row(served);
  EXPECT_EQ(row["source"], "playground");
  EXPECT_EQ(row["org_id"], ward_);
  EXPECT_EQ(row["user_id"], ward_dev_id_);
  EXPECT_TRUE(row["api_key_id"].is_null());
  EXPECT_EQ(row["api_key_prefix"], "");

  auto bare = gateway_->Post(token, "/v1/chat/completions", Chat("ward-chat"));
  EXPECT_EQ(bare.status, 401) << bare.body;
  auto malformed = gateway_->Post(token, "/v1/chat/completions", Chat("ward-chat"),
                                  {{"X-Hai-On-Behalf-Of", "user=" + std::to_string(ward_dev_id_)}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.json["error"]["code"], "invalid_on_behalf_of");
  auto elsewhere =
      gateway_->Post(token, "/v1/chat/completions", Chat("ward-chat"),
                     {{"X-Hai-On-Behalf-Of", "org_id=" + std::to_string(lab_) + ";user_id=1"}});
  EXPECT_EQ(elsewhere.status, 404) << "another organisation's service, as if absent";
  EXPECT_EQ(elsewhere.json["error"]["code"], "model_not_found");
}

}  // namespace
}  // namespace hai::gateway::testing
