// Rate limits as callers meet them (rig: proxy_test_fixture.h; the window
// arithmetic itself: rate_limiter_test.cc). The fake clock stands still
// unless a test moves it.
#include <gtest/gtest.h>

#include "daemons/gateway/proxy_test_fixture.h"

namespace hai::gateway {
namespace {

using namespace proxy_testing;

class ProxyLimitsTest : public GatewayTest {
 protected:
  void AddKey(const std::string& secret, int64_t id, Limits key, Limits org) {
    KeyInfo k = Key(7, {"inference"});
    k.key_id = id;
    k.key_limits = key;
    k.org_limits = org;
    std::lock_guard lock(keys_.mu);
    keys_.keys[secret] = k;
  }
};

TEST_F(ProxyLimitsTest, AKeysRequestsPerMinute) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  AddKey("sk-two", 21, {2, std::nullopt}, {});
  for (const char* remaining : {"1", "0"}) {
    auto r = Post("sk-two", kAsk);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.raw.Header("X-RateLimit-Limit-Requests"), "2");
    EXPECT_EQ(r.raw.Header("X-RateLimit-Remaining-Requests"), remaining);
  }
  auto refused = Post("sk-two", kAsk);
  ExpectError(refused, 429, "rate_limit_exceeded");
  EXPECT_EQ(refused.error["type"], "rate_limit_error");
  const std::string message = refused.error["message"];
  EXPECT_NE(message.find("API key's limit of 2 requests per minute"), std::string::npos) << message;
  EXPECT_EQ(refused.raw.Header("Retry-After"), "60") << "the clock stood still";
  EXPECT_EQ(refused.raw.Header("X-RateLimit-Remaining-Requests"), "0");
  EXPECT_EQ(replica.hits, 2) << "a refused request goes nowhere";
  CallRecord r = *records_.Of(refused.raw.Header("X-Request-Id"));
  EXPECT_EQ(r.status_code, 429);
  EXPECT_EQ(r.error, "rate_limit_exceeded");
  EXPECT_EQ(r.service_id, 1);
  EXPECT_EQ(metrics_.rate_limited->Value({{"scope", "key"}, {"kind", "requests"}}), 1);
  const std::string exported = registry_.Render();
  EXPECT_NE(exported.find("hai_gateway_rate_limited_total{"), std::string::npos);
  EXPECT_EQ(exported.find("sk-two"), std::string::npos) << "no key in any label";
  EXPECT_EQ(exported.find("key_id"), std::string::npos);
  // Other keys are not held back, nor is this one a minute later.
  EXPECT_EQ(Post("sk-ward", kAsk).status, 200);
  EXPECT_EQ(Post("sk-ward", kAsk).raw.Header("X-RateLimit-Limit-Requests"), "")
      << "no limit, no header";
  clock_.AdvanceMs(60'000);
  EXPECT_EQ(Post("sk-two", kAsk).status, 200);
}

TEST_F(ProxyLimitsTest, AnOrganisationsTokensPerMinuteAcrossItsKeys) {
  Replica& replica = NewReplica();
  replica.reports_usage = true;  // 14 tokens a call
  Serve({{replica.address()}});
  const Limits org{std::nullopt, 20};
  AddKey("sk-org-a", 31, {}, org);
  AddKey("sk-org-b", 32, {}, org);
  auto first = Post("sk-org-a", kAsk);
  ASSERT_EQ(first.status, 200);
  ASSERT_TRUE(records_.Of(first.raw.Header("X-Request-Id"))) << "its tokens are charged by now";
  EXPECT_EQ(Post("sk-org-b", kAsk).status, 200) << "14 < 20";
  records_.Wait(2);
  auto refused = Post("sk-org-a", kAsk);
  ExpectError(refused, 429, "rate_limit_exceeded");
  EXPECT_NE(refused.error["message"].get<std::string>().find(
                "organisation's limit of 20 tokens per minute"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(refused.raw.Header("Retry-After"), "60");
  // The playground is the portal's own: the organisation's limits are not its.
  auto playground = Post(kClusterToken, kAsk, "/v1/chat/completions",
                         {{"X-Hai-On-Behalf-Of", "org_id=7;user_id=70"}});
  EXPECT_EQ(playground.status, 200) << playground.body;
  EXPECT_EQ(playground.raw.Header("X-RateLimit-Limit-Requests"), "");
}

}  // namespace
}  // namespace hai::gateway
