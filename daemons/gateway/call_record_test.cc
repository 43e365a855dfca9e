#include "daemons/gateway/call_record.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hai::gateway {
namespace {

CallRecord Stream(double latency, std::optional<double> ttft, int64_t output) {
  CallRecord r;
  r.stream = true;
  r.latency_ms = latency;
  r.ttft_ms = ttft;
  r.output_tokens = output;
  DeriveRates(&r);
  return r;
}

TEST(DeriveRatesTest, StreamsTimeTheTokensAfterTheFirst) {
  CallRecord r = Stream(1100, 100, 11);
  ASSERT_TRUE(r.tpot_ms);
  EXPECT_DOUBLE_EQ(*r.tpot_ms, 100);  // (1100 − 100) / (11 − 1)
  ASSERT_TRUE(r.tps);
  EXPECT_DOUBLE_EQ(*r.tps, 11);  // 11 tokens / 1 s
  r = Stream(300, 100, 1);
  EXPECT_FALSE(r.tpot_ms) << "one token has no time per output token";
  EXPECT_DOUBLE_EQ(*r.tps, 5);
  r = Stream(300, 300, 3);
  EXPECT_DOUBLE_EQ(*r.tpot_ms, 0);
  EXPECT_FALSE(r.tps) << "no time to divide by";
  r = Stream(300, std::nullopt, 0);
  EXPECT_FALSE(r.tpot_ms);
  EXPECT_FALSE(r.tps);
}

TEST(DeriveRatesTest, NonStreamedAnswersUseTheWholeLatency) {
  CallRecord r;
  r.latency_ms = 500;
  r.output_tokens = 20;
  DeriveRates(&r);
  EXPECT_FALSE(r.tpot_ms);
  EXPECT_DOUBLE_EQ(*r.tps, 40);
  r.output_tokens = 0;
  DeriveRates(&r);
  EXPECT_FALSE(r.tps);
}

TEST(CallRecordJsonTest, EveryFieldWithNulls) {
  CallRecord r;
  r.request_id = "abc";
  r.time_ms = 1'767'261'600'000;
  r.org_id = 7;
  r.source = "playground";
  r.service = "ward-chat";
  r.stream = true;
  r.ttft_ms = 12.5;
  const nlohmann::json j = CallRecordJson(r);
  EXPECT_EQ(j.size(), 26u);
  EXPECT_EQ(j["time_ms"], 1'767'261'600'000);
  EXPECT_TRUE(j["api_key_id"].is_null());
  EXPECT_TRUE(j["user_id"].is_null());
  EXPECT_TRUE(j["service_id"].is_null());
  EXPECT_TRUE(j["deployment_id"].is_null());
  EXPECT_TRUE(j["tps"].is_null());
  EXPECT_EQ(j["ttft_ms"], 12.5);
  EXPECT_EQ(j["stream"], true);
  EXPECT_EQ(j["usage_source"], "none");
}

}  // namespace
}  // namespace hai::gateway
