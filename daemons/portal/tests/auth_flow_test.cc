// Sign-in, sessions, lockout, tenant isolation and API keys, end to end.
#include <gtest/gtest.h>

#include "daemons/portal/tests/portal_process.h"

namespace hai::portal::testing {
namespace {

class AuthFlowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { portal_ = new PortalProcess("lockout_failures = 3\n"); }
  static void TearDownTestSuite() { delete portal_; }
  void SetUp() override {
    ASSERT_TRUE(portal_->ok());
    admin_ = portal_->AdminToken();
    ASSERT_FALSE(admin_.empty());
  }
  nlohmann::json LastAudit(const std::string& query = "") {
    auto r = portal_->Send("GET", "/api/v1/audit-events?limit=1" + query, admin_);
    return r.body["items"][0];
  }
  static PortalProcess* portal_;
  std::string admin_;
};
PortalProcess* AuthFlowTest::portal_ = nullptr;

TEST_F(AuthFlowTest, LoginSetsAHardenedCookieAndLogoutEndsTheSession) {
  auto r = portal_->Send("POST", "/api/v1/auth/login", "",
                         {{"username", "admin"}, {"password", portal_->admin_password()}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(r.set_cookie.find("SameSite=Strict"), std::string::npos);
  std::string token = r.body["token"];
  auto via_cookie = portal_->Send("GET", "/api/v1/auth/me", "", nullptr,
                                  {{"Cookie", "other=1; hai_session=" + token}});
  EXPECT_EQ(via_cookie.status, 200);
  EXPECT_EQ(via_cookie.body["user"]["username"], "admin");
  EXPECT_EQ(portal_->Send("POST", "/api/v1/auth/logout", token).status, 204);
  EXPECT_EQ(LastAudit()["action"], "auth.logout");
  EXPECT_EQ(portal_->Send("GET", "/api/v1/auth/me", token).status, 401);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/auth/me", "garbage-token").status, 401);
}

TEST_F(AuthFlowTest, FailedLoginsAreAuditedWithReasons) {
  EXPECT_EQ(portal_->Login("nobody", "whatever-password"), "");
  auto unknown = LastAudit();
  EXPECT_EQ(unknown["action"], "auth.login");
  EXPECT_EQ(unknown["outcome"], "failure");
  EXPECT_EQ(unknown["user"], "nobody");
  EXPECT_EQ(unknown["reason"], "unknown user");
  portal_->CreateUser(admin_, "auditee");
  EXPECT_EQ(portal_->Login("auditee", "wrong-password-1"), "");
  EXPECT_EQ(LastAudit()["reason"], "wrong password");
  EXPECT_FALSE(portal_->Login("auditee", PortalProcess::kPassword).empty());
  auto ok = LastAudit();
  EXPECT_EQ(ok["outcome"], "success");
  EXPECT_FALSE(ok["client_ip"].get<std::string>().empty());
  EXPECT_FALSE(ok["request_id"].get<std::string>().empty());
}

TEST_F(AuthFlowTest, LockoutAfterRepeatedFailuresUntilAnAdminUnlocks) {
  int64_t id = portal_->CreateUser(admin_, "locky");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(portal_->Login("locky", "wrong-password-x"), "");
  auto locked = portal_->Send("POST", "/api/v1/auth/login", "",
                              {{"username", "locky"}, {"password", PortalProcess::kPassword}});
  EXPECT_EQ(locked.status, 403);
  EXPECT_EQ(locked.body["error"]["code"], "account_locked");
  auto user = portal_->Send("GET", "/api/v1/users/" + std::to_string(id), admin_);
  EXPECT_FALSE(user.body["locked_until"].is_null());
  EXPECT_EQ(portal_->Send("POST", "/api/v1/users/" + std::to_string(id) + "/unlock", admin_).status,
            204);
  EXPECT_FALSE(portal_->Login("locky", PortalProcess::kPassword).empty());
}

TEST_F(AuthFlowTest, DisabledUsersCannotSignInAndLoseTheirSessions) {
  int64_t id = portal_->CreateUser(admin_, "leaver");
  std::string token = portal_->Login("leaver", PortalProcess::kPassword);
  ASSERT_FALSE(token.empty());
  auto r = portal_->Send("PATCH", "/api/v1/users/" + std::to_string(id), admin_, {{"disabled", true}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/auth/me", token).status, 401);
  EXPECT_EQ(portal_->Login("leaver", PortalProcess::kPassword), "");
  EXPECT_EQ(LastAudit()["reason"], "account disabled");
}

TEST_F(AuthFlowTest, TheLastAdminCannotBeRemoved) {
  auto me = portal_->Send("GET", "/api/v1/auth/me", admin_);
  std::string path = "/api/v1/users/" + std::to_string(me.body["user"]["id"].get<int64_t>());
  EXPECT_EQ(portal_->Send("PATCH", path, admin_, {{"is_admin", false}}).status, 409);
  EXPECT_EQ(portal_->Send("DELETE", path, admin_).status, 409);
}

TEST_F(AuthFlowTest, PasswordChangeAndAdminReset) {
  int64_t id = portal_->CreateUser(admin_, "changer");
  std::string token = portal_->Login("changer", PortalProcess::kPassword);
  auto weak = portal_->Send("POST", "/api/v1/auth/password", token,
                            {{"old_password", PortalProcess::kPassword}, {"new_password", "short"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.body["error"]["field"], "new_password");
  EXPECT_EQ(portal_->Send("POST", "/api/v1/auth/password", token,
                          {{"old_password", PortalProcess::kPassword},
                           {"new_password", "Brand-new-pass-2"}})
                .status,
            204);
  EXPECT_FALSE(portal_->Login("changer", "Brand-new-pass-2").empty());
  EXPECT_EQ(portal_->Send("POST", "/api/v1/users/" + std::to_string(id) + "/password", admin_,
                          {{"new_password", "Admin-set-pass-3"}})
                .status,
            204);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/auth/me", token).status, 401);  // sessions ended
  EXPECT_FALSE(portal_->Login("changer", "Admin-set-pass-3").empty());
}

TEST_F(AuthFlowTest, TenantsSeeOnlyTheirOwnOrganisations) {
  int64_t a = portal_->CreateOrg(admin_, "Tenant A");
  int64_t b = portal_->CreateOrg(admin_, "Tenant B");
  portal_->CreateUser(admin_, "dev_ta", a, "developer");
  portal_->CreateUser(admin_, "oa_tb", b, "org_admin");
  std::string dev = portal_->Login("dev_ta", PortalProcess::kPassword);
  auto list = portal_->Send("GET", "/api/v1/orgs", dev);
  ASSERT_EQ(list.body["total"], 1);
  EXPECT_EQ(list.body["items"][0]["id"], a);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/orgs/" + std::to_string(b), dev).status, 404);
  std::string org_admin_b = portal_->Login("oa_tb", PortalProcess::kPassword);
  auto users = portal_->Send("GET", "/api/v1/users", org_admin_b);
  ASSERT_EQ(users.status, 200);
  for (const auto& u : users.body["items"]) EXPECT_NE(u["username"], "dev_ta");
  auto audit = portal_->Send("GET", "/api/v1/audit-events?limit=500", org_admin_b);
  ASSERT_EQ(audit.status, 200);
  for (const auto& e : audit.body["items"]) EXPECT_EQ(e["org_id"], b);
}

TEST_F(AuthFlowTest, ApiKeysShownOnceUsableAndRevocable) {
  int64_t org = portal_->CreateOrg(admin_, "Key Org");
  portal_->CreateUser(admin_, "keydev", org, "developer");
  portal_->CreateUser(admin_, "keycaller", org, "caller");
  std::string dev = portal_->Login("keydev", PortalProcess::kPassword);
  auto made = portal_->Send("POST", "/api/v1/api-keys", dev,
                            {{"org_id", org}, {"name", "ops"}, {"scopes", {"management", "inference"}},
                             {"allowed_services", {"qwen-chat"}}});
  ASSERT_EQ(made.status, 201) << made.raw;
  std::string secret = made.body["key"];
  EXPECT_EQ(secret.rfind("sk-hai-", 0), 0u);
  EXPECT_EQ(secret.substr(0, made.body["prefix"].get<std::string>().size()), made.body["prefix"]);
  auto listed = portal_->Send("GET", "/api/v1/api-keys", dev);
  EXPECT_EQ(listed.raw.find(secret), std::string::npos) << "the secret must never be listed";
  EXPECT_EQ(LastAudit()["action"], "api_key.create");
  EXPECT_EQ(LastAudit()["summary"].get<std::string>().find(secret), std::string::npos);

  // A management key acts as its owner, inside its organisation only.
  auto me = portal_->Send("GET", "/api/v1/auth/me", secret);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.body["via"], "api_key");
  // The gateway validates keys with the cluster token only.
  std::string path = "/internal/v1/api-keys/validate";
  EXPECT_EQ(portal_->Send("GET", path, admin_, nullptr, {{"X-Api-Key", secret}}).status, 401);
  auto valid = portal_->Send("GET", path, portal_->ClusterToken(), nullptr, {{"X-Api-Key", secret}});
  EXPECT_EQ(valid.body["valid"], true);
  EXPECT_EQ(valid.body["org_id"], org);
  EXPECT_EQ(valid.body["allowed_services"][0], "qwen-chat");

  std::string caller = portal_->Login("keycaller", PortalProcess::kPassword);
  auto denied = portal_->Send("POST", "/api/v1/api-keys", caller,
                              {{"org_id", org}, {"name", "x"}, {"scopes", {"management"}}});
  EXPECT_EQ(denied.status, 403);
  auto inference_only = portal_->Send("POST", "/api/v1/api-keys", caller,
                                      {{"org_id", org}, {"name", "x"}, {"scopes", {"inference"}}});
  EXPECT_EQ(inference_only.status, 201);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/auth/me", inference_only.body["key"].get<std::string>())
                .status,
            403);

  std::string key_path = "/api/v1/api-keys/" + std::to_string(made.body["id"].get<int64_t>());
  EXPECT_EQ(portal_->Send("DELETE", key_path, caller).status, 404);  // not the caller's key
  EXPECT_EQ(portal_->Send("DELETE", key_path, dev).status, 204);
  EXPECT_EQ(portal_->Send("DELETE", key_path, dev).status, 409);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/auth/me", secret).status, 401);
  auto revoked = portal_->Send("GET", path, portal_->ClusterToken(), nullptr, {{"X-Api-Key", secret}});
  EXPECT_EQ(revoked.body["valid"], false);
  EXPECT_EQ(revoked.body["reason"], "revoked");
}

TEST_F(AuthFlowTest, OrgDeletionWaitsForItsResources) {
  int64_t org = portal_->CreateOrg(admin_, "Short-lived");
  int64_t user = portal_->CreateUser(admin_, "temp_member", org, "caller");
  std::string path = "/api/v1/orgs/" + std::to_string(org);
  auto refused = portal_->Send("DELETE", path, admin_);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.body["error"]["code"], "failed_precondition");
  EXPECT_EQ(portal_->Send("DELETE", path + "/members/" + std::to_string(user), admin_).status, 204);
  EXPECT_EQ(portal_->Send("DELETE", path, admin_).status, 204);
  EXPECT_EQ(portal_->Send("GET", path, admin_).status, 404);
}

TEST_F(AuthFlowTest, KeysOfADisabledOwnerStopValidating) {
  int64_t org = portal_->CreateOrg(admin_, "Disable Org");
  int64_t id = portal_->CreateUser(admin_, "keyowner", org, "developer");
  std::string dev = portal_->Login("keyowner", PortalProcess::kPassword);
  auto made = portal_->Send("POST", "/api/v1/api-keys", dev,
                            {{"org_id", org}, {"name", "k"}, {"scopes", {"inference"}}});
  ASSERT_EQ(made.status, 201);
  std::string secret = made.body["key"];
  portal_->Send("PATCH", "/api/v1/users/" + std::to_string(id), admin_, {{"disabled", true}});
  auto v = portal_->Send("GET", "/internal/v1/api-keys/validate", portal_->ClusterToken(), nullptr,
                         {{"X-Api-Key", secret}});
  EXPECT_EQ(v.body["valid"], false);
  EXPECT_EQ(v.body["reason"], "owner_disabled");
}

TEST_F(AuthFlowTest, AnOrgWhoseKeysAreAllRevokedCanBeDeleted) {
  int64_t org = portal_->CreateOrg(admin_, "Revoked Org");
  int64_t user = portal_->CreateUser(admin_, "revoker", org, "developer");
  std::string dev = portal_->Login("revoker", PortalProcess::kPassword);
  auto made = portal_->Send("POST", "/api/v1/api-keys", dev,
                            {{"org_id", org}, {"name", "k"}, {"scopes", {"inference"}}});
  std::string path = "/api/v1/orgs/" + std::to_string(org);
  portal_->Send("DELETE", path + "/members/" + std::to_string(user), admin_);  // revokes the key
  EXPECT_EQ(portal_->Send("DELETE", path, admin_).status, 204);
}

TEST_F(AuthFlowTest, ALockThatRanOutCountsAfresh) {
  // lockout_failures = 3 in this suite; the 15-minute lock is cleared by an
  // admin here, which resets the count like an expired lock does.
  int64_t id = portal_->CreateUser(admin_, "relock");
  for (int i = 0; i < 3; ++i) portal_->Login("relock", "wrong-password-x");
  portal_->Send("POST", "/api/v1/users/" + std::to_string(id) + "/unlock", admin_);
  EXPECT_EQ(portal_->Login("relock", "wrong-password-x"), "");
  EXPECT_FALSE(portal_->Login("relock", PortalProcess::kPassword).empty())
      << "one failure after an unlock must not lock again";
}

TEST_F(AuthFlowTest, ListsPageSortAndFilter) {
  for (int i = 0; i < 5; ++i) portal_->CreateOrg(admin_, "Page-" + std::to_string(i));
  auto page = portal_->Send("GET", "/api/v1/orgs?q=Page-&limit=2&offset=1&sort=-name", admin_);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body["total"], 5);
  ASSERT_EQ(page.body["items"].size(), 2u);
  EXPECT_EQ(page.body["items"][0]["name"], "Page-3");
  auto bad_sort = portal_->Send("GET", "/api/v1/orgs?sort=password", admin_);
  EXPECT_EQ(bad_sort.status, 400);
  EXPECT_EQ(bad_sort.body["error"]["field"], "sort");
  EXPECT_EQ(portal_->Send("GET", "/api/v1/orgs?limit=0", admin_).status, 400);
  auto csv = portal_->Send("GET", "/api/v1/audit-events/export?action=org.create", admin_);
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.raw.rfind("id,time,user,", 0), 0u);
  EXPECT_NE(csv.raw.find("Page-4"), std::string::npos);
}

}  // namespace
}  // namespace hai::portal::testing
