#include "daemons/gateway/rate_limiter.h"

#include <gtest/gtest.h>

namespace hai::gateway {
namespace {

class RateLimiterTest : public ::testing::Test {
 protected:
  // 10:00:00.000 on some day: whole seconds are bucket edges.
  FakeClock clock_{1'767'261'600'000};
  RateLimiter limiter_{&clock_};

  LimitSubject KeyRpm(int64_t key, int64_t rpm) { return {key, {rpm, std::nullopt}, 7, {}}; }
};

TEST_F(RateLimiterTest, NoLimitsKeepNoWindows) {
  for (int i = 0; i < 1000; ++i) {
    Admission a = limiter_.Admit({1, {}, 7, {}});
    EXPECT_TRUE(a.admitted);
    EXPECT_FALSE(a.request_limit);
  }
  limiter_.AddTokens({1, {}, 7, {}}, 100);
  EXPECT_EQ(limiter_.windows(), 0u);
}

TEST_F(RateLimiterTest, RequestsPerMinuteWithRemainingAndRetryAfter) {
  const LimitSubject s = KeyRpm(1, 3);
  for (int64_t remaining : {2, 1, 0}) {
    Admission a = limiter_.Admit(s);
    ASSERT_TRUE(a.admitted);
    EXPECT_EQ(a.request_limit, 3);
    EXPECT_EQ(a.remaining_requests, remaining);
    clock_.AdvanceMs(10'000);  // at 0 s, 10 s, 20 s
  }
  // At 30 s: full until the first request (second 0) leaves at 60 s.
  Admission refused = limiter_.Admit(s);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after_s, 30);
  EXPECT_EQ(refused.scope, "key");
  EXPECT_EQ(refused.kind, "requests");
  EXPECT_EQ(refused.refused_by, "the API key's limit of 3 requests per minute");
  EXPECT_EQ(refused.remaining_requests, 0);
  clock_.AdvanceMs(29'500);  // 59.5 s: half a second to go, said as 1
  EXPECT_EQ(limiter_.Admit(s).retry_after_s, 1);
  clock_.AdvanceMs(500);  // 60 s: the first has left the window
  EXPECT_TRUE(limiter_.Admit(s).admitted);
  EXPECT_FALSE(limiter_.Admit(s).admitted) << "the refusals did not count";
  // Another key has its own window.
  EXPECT_TRUE(limiter_.Admit(KeyRpm(2, 3)).admitted);
}

TEST_F(RateLimiterTest, TheOrganisationsLimitCountsEveryKeyOfIt) {
  const Limits org{2, std::nullopt};
  EXPECT_TRUE(limiter_.Admit({1, {}, 7, org}).admitted);
  EXPECT_TRUE(limiter_.Admit({2, {}, 7, org}).admitted);
  Admission refused = limiter_.Admit({3, {}, 7, org});
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.scope, "org");
  EXPECT_EQ(refused.refused_by, "the organisation's limit of 2 requests per minute");
  EXPECT_TRUE(limiter_.Admit({4, {}, 8, org}).admitted) << "another organisation";
  // Both limits: the one closer to refusing is what the headers say.
  Admission both = limiter_.Admit({5, {10, std::nullopt}, 9, {3, std::nullopt}});
  EXPECT_EQ(both.request_limit, 3);
  EXPECT_EQ(both.remaining_requests, 2);
}

TEST_F(RateLimiterTest, TokensPerMinuteCountWhenCallsEnd) {
  const LimitSubject s{1, {std::nullopt, 100}, 7, {}};
  ASSERT_TRUE(limiter_.Admit(s).admitted);
  ASSERT_TRUE(limiter_.Admit(s).admitted) << "nothing used yet";
  clock_.AdvanceMs(5'000);
  limiter_.AddTokens(s, 60);
  clock_.AdvanceMs(5'000);
  limiter_.AddTokens(s, 40);
  Admission refused = limiter_.Admit(s);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.kind, "tokens");
  EXPECT_EQ(refused.refused_by, "the API key's limit of 100 tokens per minute");
  EXPECT_FALSE(refused.request_limit) << "no request limit to report";
  // Below the limit once the 60 tokens of second 5 leave, at 65 s.
  EXPECT_EQ(refused.retry_after_s, 55);
  clock_.AdvanceMs(55'000);
  EXPECT_TRUE(limiter_.Admit(s).admitted);
}

TEST_F(RateLimiterTest, IdleWindowsAreDropped) {
  for (int64_t key = 1; key <= 100; ++key) limiter_.Admit(KeyRpm(key, 5));
  EXPECT_EQ(limiter_.windows(), 100u);
  clock_.AdvanceMs(61'000);
  limiter_.Admit(KeyRpm(1, 5));
  EXPECT_EQ(limiter_.windows(), 1u);
}

TEST_F(RateLimiterTest, AClockSetBackForgetsTheFuture) {
  const LimitSubject s = KeyRpm(1, 1);
  ASSERT_TRUE(limiter_.Admit(s).admitted);
  clock_.AdvanceMs(-3'600'000);
  EXPECT_TRUE(limiter_.Admit(s).admitted);
}

}  // namespace
}  // namespace hai::gateway
