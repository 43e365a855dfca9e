// Requests and tokens per minute on API keys and organisations: who may set
// them, and how the gateway learns them (the validation answer).
#include <gtest/gtest.h>

#include "daemons/portal/tests/portal_process.h"

namespace hai::portal::testing {
namespace {

using nlohmann::json;

class RateLimitsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { portal_ = new PortalProcess(); }
  static void TearDownTestSuite() { delete portal_; }
  void SetUp() override {
    ASSERT_TRUE(portal_->ok());
    admin_ = portal_->AdminToken();
    ASSERT_FALSE(admin_.empty());
  }
  json Validate(const std::string& secret) {
    return portal_
        ->Send("GET", "/internal/v1/api-keys/validate", portal_->ClusterToken(), nullptr,
               {{"X-Api-Key", secret}})
        .body;
  }
  static PortalProcess* portal_;
  std::string admin_;
};
PortalProcess* RateLimitsApiTest::portal_ = nullptr;

TEST_F(RateLimitsApiTest, KeyLimitsAreSetAtCreationAndChangedByOrgAdmins) {
  int64_t org = portal_->CreateOrg(admin_, "Limits Ward");
  portal_->CreateUser(admin_, "limit_admin", org, "org_admin");
  portal_->CreateUser(admin_, "limit_dev", org, "developer");
  std::string org_admin = portal_->Login("limit_admin", PortalProcess::kPassword);
  std::string dev = portal_->Login("limit_dev", PortalProcess::kPassword);

  auto made = portal_->Send("POST", "/api/v1/api-keys", dev,
                            {{"org_id", org}, {"name", "batch"}, {"scopes", {"inference"}},
                             {"rpm_limit", 60}, {"tpm_limit", 20000}});
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body["rpm_limit"], 60);
  EXPECT_EQ(made.body["tpm_limit"], 20000);
  json v = Validate(made.body["key"]);
  EXPECT_EQ(v["limits"]["key"], json({{"rpm", 60}, {"tpm", 20000}}));
  EXPECT_EQ(v["limits"]["org"], json({{"rpm", nullptr}, {"tpm", nullptr}}));
  EXPECT_EQ(v["key_prefix"], made.body["prefix"]);

  // The owner capped it; lifting the cap is for the organisation's admins.
  std::string path = "/api/v1/api-keys/" + std::to_string(made.body["id"].get<int64_t>());
  auto refused = portal_->Send("PATCH", path, dev, {{"rpm_limit", nullptr}});
  EXPECT_EQ(refused.status, 403) << refused.raw;
  auto lifted = portal_->Send("PATCH", path, org_admin, {{"rpm_limit", nullptr}});
  ASSERT_EQ(lifted.status, 200) << lifted.raw;
  EXPECT_TRUE(lifted.body["rpm_limit"].is_null());
  EXPECT_EQ(lifted.body["tpm_limit"], 20000) << "a field not named keeps its value";
  EXPECT_TRUE(Validate(made.body["key"])["limits"]["key"]["rpm"].is_null());
  auto audit = portal_->Send("GET", "/api/v1/audit-events?limit=1", admin_).body["items"][0];
  EXPECT_EQ(audit["action"], "api_key.update");

  // Another organisation's admin does not see the key at all.
  int64_t other = portal_->CreateOrg(admin_, "Limits Lab");
  portal_->CreateUser(admin_, "limit_other", other, "org_admin");
  std::string other_admin = portal_->Login("limit_other", PortalProcess::kPassword);
  EXPECT_EQ(portal_->Send("PATCH", path, other_admin, {{"rpm_limit", 1}}).status, 404);
}

TEST_F(RateLimitsApiTest, OrgLimitsAreForPlatformAdminsAndReachTheGateway) {
  int64_t org = portal_->CreateOrg(admin_, "Capped Org");
  portal_->CreateUser(admin_, "capped_admin", org, "org_admin");
  std::string org_admin = portal_->Login("capped_admin", PortalProcess::kPassword);
  std::string path = "/api/v1/orgs/" + std::to_string(org);

  EXPECT_EQ(portal_->Send("PATCH", path, org_admin, {{"tpm_limit", 100000}}).status, 403);
  auto set = portal_->Send("PATCH", path, admin_, {{"rpm_limit", 600}, {"tpm_limit", 100000}});
  ASSERT_EQ(set.status, 200) << set.raw;
  EXPECT_EQ(set.body["rpm_limit"], 600);
  EXPECT_EQ(portal_->Send("GET", path, org_admin).body["tpm_limit"], 100000);
  // Renaming by the org's own admin leaves the limits alone.
  auto renamed = portal_->Send("PATCH", path, org_admin, {{"description", "night shift"}});
  ASSERT_EQ(renamed.status, 200) << renamed.raw;
  EXPECT_EQ(renamed.body["rpm_limit"], 600);

  auto key = portal_->Send("POST", "/api/v1/api-keys", org_admin,
                           {{"org_id", org}, {"name", "k"}, {"scopes", {"inference"}}});
  ASSERT_EQ(key.status, 201);
  json v = Validate(key.body["key"]);
  EXPECT_EQ(v["limits"]["org"], json({{"rpm", 600}, {"tpm", 100000}}));
  EXPECT_EQ(v["limits"]["key"], json({{"rpm", nullptr}, {"tpm", nullptr}}));

  auto cleared = portal_->Send("PATCH", path, admin_, {{"tpm_limit", nullptr}});
  EXPECT_TRUE(cleared.body["tpm_limit"].is_null());
  EXPECT_EQ(cleared.body["rpm_limit"], 600);
}

TEST_F(RateLimitsApiTest, BadLimitsAreRefusedAndNothingChanges) {
  int64_t org = portal_->CreateOrg(admin_, "Bad Limits");
  std::string path = "/api/v1/orgs/" + std::to_string(org);
  for (const json& bad : {json(0), json(-5), json("60"), json(1.5), json(2000000000)}) {
    auto r = portal_->Send("PATCH", path, admin_, {{"rpm_limit", bad}});
    EXPECT_EQ(r.status, 400) << bad.dump() << " " << r.raw;
    EXPECT_EQ(r.body["error"]["field"], "rpm_limit") << r.raw;
  }
  EXPECT_TRUE(portal_->Send("GET", path, admin_).body["rpm_limit"].is_null());
  portal_->CreateUser(admin_, "bad_limits_dev", org, "developer");
  std::string dev = portal_->Login("bad_limits_dev", PortalProcess::kPassword);
  auto r = portal_->Send("POST", "/api/v1/api-keys", dev,
                         {{"org_id", org}, {"name", "k"}, {"scopes", {"inference"}},
                          {"tpm_limit", 0}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/api-keys?org_id=" + std::to_string(org), admin_)
                .body["total"],
            0);
}

}  // namespace
}  // namespace hai::portal::testing
