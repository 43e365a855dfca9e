#include "daemons/gateway/key_cache.h"

#include <gtest/gtest.h>

#include "daemons/gateway/key_policy.h"
#include "daemons/gateway/portal_key_validator.h"

namespace hai::gateway {
namespace {

// The portal's side of key validation, held in memory: the test double of
// the KeyValidator seam. `down` makes it unreachable.
class KeysInMemory final : public KeyValidator {
 public:
  Result<KeyInfo> Validate(const std::string& secret) override {
    ++calls;
    if (down) return Status::Unavailable("connection refused");
    auto it = keys.find(secret);
    if (it == keys.end()) return KeyInfo{false, "unknown"};
    return it->second;
  }
  std::map<std::string, KeyInfo> keys;
  bool down = false;
  int calls = 0;
};

KeyInfo Inference(int64_t org) {
  KeyInfo k;
  k.valid = true;
  k.key_id = 1;
  k.org_id = org;
  k.user_id = 2;
  k.scopes = {"inference"};
  return k;
}

class KeyCacheTest : public ::testing::Test {
 protected:
  KeysInMemory portal_;
  FakeClock clock_{1'000'000};
  KeyCache cache_{&portal_, &clock_, {3000, 100}};
};

TEST_F(KeyCacheTest, AnswersAreKeptForTheTtl) {
  portal_.keys["sk-a"] = Inference(1);
  for (int i = 0; i < 5; ++i) {
    auto r = cache_.Lookup("sk-a");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->info.valid);
    EXPECT_FALSE(r->stale);
    clock_.AdvanceMs(500);
  }
  EXPECT_EQ(portal_.calls, 1);
  clock_.AdvanceMs(1000);  // 3.5 s after the first answer
  ASSERT_TRUE(cache_.Lookup("sk-a").ok());
  EXPECT_EQ(portal_.calls, 2);
}

TEST_F(KeyCacheTest, RevocationTakesEffectWithinTheTtl) {
  portal_.keys["sk-a"] = Inference(1);
  ASSERT_TRUE(cache_.Lookup("sk-a")->info.valid);
  portal_.keys["sk-a"].valid = false;
  portal_.keys["sk-a"].reason = "revoked";
  clock_.AdvanceMs(2999);
  EXPECT_TRUE(cache_.Lookup("sk-a")->info.valid) << "still within the TTL";
  clock_.AdvanceMs(1);
  auto r = cache_.Lookup("sk-a");
  EXPECT_FALSE(r->info.valid);
  EXPECT_EQ(r->info.reason, "revoked");
  auto error = CheckKey(r->info);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 401);
  EXPECT_EQ(error->code, "api_key_revoked");
}

TEST_F(KeyCacheTest, ServesOnTheLastAnswerWhileThePortalIsAway) {
  portal_.keys["sk-a"] = Inference(1);
  ASSERT_TRUE(cache_.Lookup("sk-a")->info.valid);
  ASSERT_FALSE(cache_.Lookup("sk-unknown")->info.valid);
  portal_.down = true;
  clock_.AdvanceMs(3'600'000);
  auto r = cache_.Lookup("sk-a");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->info.valid);
  EXPECT_TRUE(r->stale);
  EXPECT_FALSE(cache_.Lookup("sk-unknown")->info.valid) << "a refusal stays a refusal";
  auto never_seen = cache_.Lookup("sk-b");
  ASSERT_FALSE(never_seen.ok());
  EXPECT_EQ(never_seen.status().code(), Code::kUnavailable);
  // Back: asked again at once.
  portal_.down = false;
  EXPECT_FALSE(cache_.Lookup("sk-a")->stale);
}

TEST_F(KeyCacheTest, AnExpiryTimeIsAppliedWithoutAskingAgain) {
  KeyInfo k = Inference(1);
  k.expires_at_ms = clock_.NowMs() + 1000;
  portal_.keys["sk-a"] = k;
  EXPECT_TRUE(cache_.Lookup("sk-a")->info.valid);
  clock_.AdvanceMs(1000);
  auto r = cache_.Lookup("sk-a");
  EXPECT_FALSE(r->info.valid);
  EXPECT_EQ(r->info.reason, "expired");
  EXPECT_EQ(portal_.calls, 1);
}

TEST_F(KeyCacheTest, HoldsAtMostMaxEntries) {
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(cache_.Lookup("sk-guess-" + std::to_string(i)).ok());
    clock_.AdvanceMs(1);
  }
  EXPECT_LE(cache_.size(), 100u);
  EXPECT_GE(cache_.size(), 80u);
}

TEST(KeyPolicyTest, ScopeOrganisationAndAllowedServices) {
  RoutedService mine{1, "ward-chat", 7, "text-generation", {}};
  RoutedService theirs{2, "lab-chat", 8, "text-generation", {}};
  KeyInfo key = Inference(7);
  EXPECT_FALSE(CheckKey(key));
  EXPECT_FALSE(CheckService(key, "ward-chat", &mine));
  EXPECT_EQ(CheckService(key, "lab-chat", &theirs)->status, 404) << "another org's: as if absent";
  EXPECT_EQ(CheckService(key, "nope", nullptr)->code, "model_not_found");
  key.allowed_services = std::vector<std::string>{"other"};
  EXPECT_EQ(CheckService(key, "ward-chat", &mine)->status, 403);
  EXPECT_FALSE(MayUse(key, mine));
  key.allowed_services = std::vector<std::string>{"ward-chat"};
  EXPECT_TRUE(MayUse(key, mine));
  EXPECT_FALSE(MayUse(key, theirs));
  key.scopes = {"management"};
  auto error = CheckKey(key);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 403);
  EXPECT_EQ(error->code, "insufficient_scope");
  EXPECT_EQ(CheckKey(KeyInfo{false, "unknown"})->status, 401);
  EXPECT_EQ(CheckKey(KeyInfo{false, "expired"})->code, "api_key_expired");
}

TEST(KeyInfoFromJsonTest, ReadsThePortalsAnswer) {
  auto k = KeyInfoFromJson(
      R"({"valid":true,"reason":"","key_id":4,"org_id":3,"user_id":9,"scopes":["inference"],)"
      R"("allowed_services":["ward-chat"],"expires_at":"2030-01-01T00:00:00.000Z"})");
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_TRUE(k->valid);
  EXPECT_EQ(k->org_id, 3);
  EXPECT_EQ(k->scopes, std::vector<std::string>{"inference"});
  ASSERT_TRUE(k->allowed_services);
  EXPECT_EQ((*k->allowed_services)[0], "ward-chat");
  ASSERT_TRUE(k->expires_at_ms);
  EXPECT_EQ(*k->expires_at_ms, 1893456000000);
  auto unknown = KeyInfoFromJson(R"({"valid":false,"reason":"unknown"})");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->valid);
  EXPECT_FALSE(KeyInfoFromJson("not json").ok());
  EXPECT_FALSE(KeyInfoFromJson(R"({"valid":true,"key_id":1,"org_id":"x"})").ok());
  EXPECT_FALSE(KeyInfoFromJson(R"({"valid":true,"key_id":1,"org_id":1,"user_id":1,"scopes":[],)"
                               R"("expires_at":"soon"})")
                   .ok());
}

TEST(KeyInfoFromJsonTest, ReadsTheLimits) {
  const std::string head =
      R"({"valid":true,"reason":"","key_id":4,"org_id":3,"user_id":9,"scopes":["inference"],)"
      R"("allowed_services":null,"expires_at":null,"key_prefix":"sk-hai-AbCdEfG")";
  auto k = KeyInfoFromJson(head + R"(,"limits":{"key":{"rpm":2,"tpm":null},)"
                                  R"("org":{"rpm":null,"tpm":5000}}})");
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->prefix, "sk-hai-AbCdEfG");
  EXPECT_EQ(k->key_limits.rpm, 2);
  EXPECT_FALSE(k->key_limits.tpm);
  EXPECT_FALSE(k->org_limits.rpm);
  EXPECT_EQ(k->org_limits.tpm, 5000);
  // Absent or null: no limits.
  for (const std::string& none : {std::string("}"), std::string(R"(,"limits":null})"),
                                  std::string(R"(,"limits":{"key":null}})")}) {
    k = KeyInfoFromJson(head + none);
    ASSERT_TRUE(k.ok()) << none;
    EXPECT_FALSE(k->key_limits.any() || k->org_limits.any()) << none;
  }
  for (const std::string& bad :
       {std::string(R"(,"limits":[]})"), std::string(R"(,"limits":{"key":{"rpm":0}}})"),
        std::string(R"(,"limits":{"key":{"rpm":2.5}}})"),
        std::string(R"(,"limits":{"org":{"tpm":"many"}}})"),
        std::string(R"(,"limits":{"org":7}})")})
    EXPECT_FALSE(KeyInfoFromJson(head + bad).ok()) << bad;
}

}  // namespace
}  // namespace hai::gateway
