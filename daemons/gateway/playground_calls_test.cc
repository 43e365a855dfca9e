// Calls the portal's playground relays on behalf of a signed-in user: the
// cluster token plus X-Hai-On-Behalf-Of (rig: proxy_test_fixture.h).
#include <gtest/gtest.h>

#include "daemons/gateway/proxy_test_fixture.h"

namespace hai::gateway {
namespace {

using namespace proxy_testing;

class PlaygroundCallsTest : public GatewayTest {
 protected:
  Reply AsUser(const std::string& on_behalf_of, const std::string& body,
               const std::string& token = kClusterToken) {
    return Post(token, body, "/v1/chat/completions", {{"X-Hai-On-Behalf-Of", on_behalf_of}});
  }
};

TEST_F(PlaygroundCallsTest, ServedAsTheUserInTheirOrganisation) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  auto reply = AsUser("org_id=7;user_id=70", kAskStream);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, kEvents[0] + kEvents[1] + kEvents[2]);
  CallRecord r = *records_.Of(reply.raw.Header("X-Request-Id"));
  EXPECT_EQ(r.source, "playground");
  EXPECT_EQ(r.org_id, 7);
  EXPECT_EQ(r.user_id, 70);
  EXPECT_FALSE(r.api_key_id);
  EXPECT_EQ(r.api_key_prefix, "");
  EXPECT_EQ(r.service_id, 1);
  // Every service of the organisation, as /v1/models says too.
  http::Client client("127.0.0.1", server_->port(), 10000);
  auto models = client.Send("GET", "/v1/models", "",
                            {{"Authorization", "Bearer " + kClusterToken},
                             {"X-Hai-On-Behalf-Of", "org_id=7;user_id=70"}});
  ASSERT_TRUE(models.ok());
  ASSERT_EQ(models->status, 200);
  std::set<std::string> names;
  const json list = json::parse(models->body);
  for (const auto& m : list["data"]) names.insert(m["id"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"notes", "ward-chat"}));
}

// The browser's address comes from the portal's X-Forwarded-For, and only
// a delegated call is believed about it.
TEST_F(PlaygroundCallsTest, TheBrowsersAddressIsTakenFromThePortalOnly) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  auto relayed = Post(kClusterToken, kAsk, "/v1/chat/completions",
                      {{"X-Hai-On-Behalf-Of", "org_id=7;user_id=70"},
                       {"X-Forwarded-For", "10.20.30.40, 127.0.0.1"}});
  ASSERT_EQ(relayed.status, 200) << relayed.body;
  EXPECT_EQ(records_.Of(relayed.raw.Header("X-Request-Id"))->client_ip, "10.20.30.40");
  auto forged = Post(kClusterToken, kAsk, "/v1/chat/completions",
                     {{"X-Hai-On-Behalf-Of", "org_id=7;user_id=70"},
                      {"X-Forwarded-For", "<script>"}});
  EXPECT_EQ(records_.Of(forged.raw.Header("X-Request-Id"))->client_ip, "127.0.0.1");
  auto program = Post("sk-ward", kAsk, "/v1/chat/completions", {{"X-Forwarded-For", "10.9.9.9"}});
  EXPECT_EQ(records_.Of(program.raw.Header("X-Request-Id"))->client_ip, "127.0.0.1");
}

TEST_F(PlaygroundCallsTest, TheOrganisationsBoundaryHolds) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  auto other = AsUser("org_id=8;user_id=80", kAsk);
  ExpectError(other, 404, "model_not_found");
  CallRecord r = *records_.Of(other.raw.Header("X-Request-Id"));
  EXPECT_EQ(r.org_id, 8);
  EXPECT_FALSE(r.service_id);
  ExpectError(AsUser("org_id=7;user_id=70", R"({"model":"lab-chat"})"), 404, "model_not_found");
  EXPECT_EQ(replica.hits, 0);
}

TEST_F(PlaygroundCallsTest, TheClusterTokenAloneIsNoKey) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  ExpectError(Post(kClusterToken, kAsk), 401, "invalid_api_key");
  ExpectError(AsUser("org_id=7", kAsk), 400, "invalid_on_behalf_of");
  ExpectError(AsUser("org_id=7;user_id=x", kAsk), 400, "invalid_on_behalf_of");
  // The header with anything but the cluster token: an ordinary key check.
  ExpectError(AsUser("org_id=7;user_id=70", kAsk, kClusterToken + "x"), 401, "invalid_api_key");
  EXPECT_EQ(replica.hits, 0);
  // None of them was identified: no records.
  auto served = Post("sk-ward", kAsk);
  ASSERT_TRUE(records_.Of(served.raw.Header("X-Request-Id")));
  EXPECT_EQ(records_.size(), 1u);
}

}  // namespace
}  // namespace hai::gateway
