// Bad input gets a clear JSON error and loses nothing already stored.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemons/portal/tests/portal_process.h"

namespace hai::portal::testing {
namespace {

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { portal_ = new PortalProcess(); }
  static void TearDownTestSuite() { delete portal_; }
  void SetUp() override {
    ASSERT_TRUE(portal_->ok());
    admin_ = portal_->AdminToken();
  }
  void ExpectField(const PortalProcess::Reply& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.raw;
    EXPECT_EQ(r.body["error"]["code"], "invalid_argument") << r.raw;
    EXPECT_EQ(r.body["error"]["field"], field) << r.raw;
    EXPECT_FALSE(r.body["error"]["message"].get<std::string>().empty());
  }
  // A request written by hand: clients normalise paths, attackers do not.
  std::string RawGet(const std::string& target) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(portal_->port()));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return "";
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (write(fd, req.data(), req.size()) < 0) return "";
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) out.append(buf, static_cast<size_t>(n));
    close(fd);
    return out;
  }
  static PortalProcess* portal_;
  std::string admin_;
};
PortalProcess* BadInputTest::portal_ = nullptr;

TEST_F(BadInputTest, MalformedAndMistypedBodiesNameTheProblem) {
  auto malformed = portal_->SendRaw("POST", "/api/v1/orgs", admin_, "{\"name\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.body["error"]["code"], "invalid_argument");
  EXPECT_EQ(portal_->SendRaw("POST", "/api/v1/orgs", admin_, "[\"name\"]").status, 400);
  ExpectField(portal_->Send("POST", "/api/v1/orgs", admin_, {{"name", 42}}), 400, "name");
  ExpectField(portal_->Send("POST", "/api/v1/orgs", admin_, nlohmann::json::object()), 400, "name");
  ExpectField(portal_->Send("POST", "/api/v1/orgs", admin_, {{"name", "x"}, {"colour", "red"}}), 400,
              "colour");
  ExpectField(portal_->Send("POST", "/api/v1/orgs", admin_, {{"name", ""}}), 400, "name");
  ExpectField(portal_->Send("POST", "/api/v1/orgs", admin_, {{"name", std::string(65, 'x')}}), 400,
              "name");
  int64_t org = portal_->CreateOrg(admin_, "Enum Org");
  int64_t user = portal_->CreateUser(admin_, "enum_user");
  ExpectField(portal_->Send("POST", "/api/v1/orgs/" + std::to_string(org) + "/members", admin_,
                            {{"user_id", user}, {"role", "superuser"}}),
              400, "role");
  ExpectField(portal_->Send("POST", "/api/v1/orgs/" + std::to_string(org) + "/members", admin_,
                            {{"user_id", "7"}, {"role", "caller"}}),
              400, "user_id");
  ExpectField(portal_->Send("POST", "/api/v1/api-keys", admin_,
                            {{"org_id", org}, {"name", "k"}, {"scopes", {"root"}}}),
              400, "scopes");
  ExpectField(portal_->Send("POST", "/api/v1/users", admin_,
                            {{"username", "bad name!"}, {"password", PortalProcess::kPassword}}),
              400, "username");
  ExpectField(portal_->Send("GET", "/api/v1/audit-events?from=yesterday", admin_), 400, "from");
  ExpectField(portal_->Send("GET", "/api/v1/audit-events?outcome=maybe", admin_), 400, "outcome");
}

TEST_F(BadInputTest, DuplicatesConflictWithoutChangingWhatIsStored) {
  int64_t org = portal_->CreateOrg(admin_, "Oncology");
  auto dup = portal_->Send("POST", "/api/v1/orgs", admin_, {{"name", "oncology"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.body["error"]["field"], "name");
  auto kept = portal_->Send("GET", "/api/v1/orgs/" + std::to_string(org), admin_);
  EXPECT_EQ(kept.body["name"], "Oncology");
  // A user created into a missing org leaves no user behind (one transaction).
  auto half = portal_->Send("POST", "/api/v1/users", admin_,
                            {{"username", "half_made"}, {"password", PortalProcess::kPassword},
                             {"org_id", 999999}, {"role", "caller"}});
  EXPECT_EQ(half.status, 400);
  auto users = portal_->Send("GET", "/api/v1/users?q=half_made", admin_);
  EXPECT_EQ(users.body["total"], 0);
}

TEST_F(BadInputTest, SqlMetacharactersAreStoredVerbatim) {
  const std::string evil = "x'); DROP TABLE orgs; -- %_\\";
  auto made = portal_->Send("POST", "/api/v1/orgs", admin_,
                            {{"name", "Evil"}, {"description", evil}});
  ASSERT_EQ(made.status, 201);
  auto got = portal_->Send("GET", "/api/v1/orgs/" + std::to_string(made.body["id"].get<int64_t>()),
                           admin_);
  EXPECT_EQ(got.body["description"], evil);
  auto search = portal_->Send("GET", "/api/v1/orgs?q=%25_", admin_);  // "%_" is not a wildcard
  EXPECT_EQ(search.status, 200);
  for (const auto& o : search.body["items"])
    EXPECT_NE(o["description"].get<std::string>().find("%_"), std::string::npos);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/orgs", admin_).status, 200);
}

TEST_F(BadInputTest, OversizedBodiesAre413AndUnknownRoutesJson404) {
  auto big = portal_->Send("POST", "/api/v1/orgs", admin_,
                           {{"name", "big"}, {"description", std::string(70000, 'x')}});
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body["error"]["code"], "payload_too_large");
  auto missing = portal_->Send("GET", "/api/v1/no-such-thing", admin_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["code"], "not_found");
  EXPECT_EQ(portal_->Send("PUT", "/api/v1/orgs", admin_, {{"name", "x"}}).status, 405);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/orgs/abc", admin_).status, 404);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/orgs/-1", admin_).status, 404);
}

TEST_F(BadInputTest, StaticPathsCannotEscapeTheWebDirectory) {
  std::string reply = RawGet("/../hai.toml");
  EXPECT_NE(reply.find(" 404 "), std::string::npos) << reply.substr(0, 200);
  EXPECT_EQ(reply.find("password_hash_ops"), std::string::npos);
  reply = RawGet("/assets/../../data/cluster-token");
  EXPECT_EQ(reply.find(portal_->ClusterToken()), std::string::npos);
  reply = RawGet("/%2e%2e/hai.toml");
  EXPECT_EQ(reply.find("password_hash_ops"), std::string::npos);
}

TEST_F(BadInputTest, HealthAndMetrics) {
  auto health = portal_->Send("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  auto metrics = portal_->Send("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.raw.find("hai_portal_http_requests_total{method=\"GET\",route=\"/healthz\""),
            std::string::npos);
  EXPECT_NE(metrics.raw.find("hai_portal_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.raw.find("hai_portal_logins_total"), std::string::npos);
}

}  // namespace
}  // namespace hai::portal::testing
