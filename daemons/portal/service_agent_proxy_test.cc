#include "daemons/portal/service_agent_proxy.h"

#include <gtest/gtest.h>

namespace hai::portal {
namespace {

http::Request WithQuery(std::initializer_list<std::pair<const char*, const char*>> q) {
  http::Request req;
  for (const auto& [k, v] : q) req.query.emplace(k, v);
  return req;
}

TEST(LogQueryTest, DefaultsAndValues) {
  auto none = ParseLogQuery(WithQuery({}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->tail.has_value());
  EXPECT_FALSE(none->follow);
  EXPECT_FALSE(none->download);
  auto some = ParseLogQuery(WithQuery({{"tail", "200"}, {"follow", "true"}}));
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->tail, 200);
  EXPECT_TRUE(some->follow);
  auto download = ParseLogQuery(WithQuery({{"download", "1"}, {"follow", "0"}}));
  ASSERT_TRUE(download.ok());
  EXPECT_TRUE(download->download);
  EXPECT_FALSE(download->follow);
}

TEST(LogQueryTest, BadValuesNameTheParameter) {
  EXPECT_EQ(ParseLogQuery(WithQuery({{"tail", "-1"}})).status().field(), "tail");
  EXPECT_EQ(ParseLogQuery(WithQuery({{"tail", "ten"}})).status().field(), "tail");
  EXPECT_EQ(ParseLogQuery(WithQuery({{"tail", "10001"}})).status().field(), "tail");
  EXPECT_EQ(ParseLogQuery(WithQuery({{"follow", "yes"}})).status().field(), "follow");
  EXPECT_EQ(ParseLogQuery(WithQuery({{"download", "please"}})).status().field(), "download");
  auto both = ParseLogQuery(WithQuery({{"follow", "true"}, {"download", "true"}}));
  EXPECT_EQ(both.status().code(), Code::kInvalidArgument);
}

TEST(LogQueryTest, AReplicaWithoutANodeHasNoLogsYet) {
  ReplicaInfo pending;
  pending.id = 7;
  pending.name = "triage-chat-0";
  // No node: answered before any address is looked up.
  auto r = ReplicaLogs({"127.0.0.1", 1, "token"}, pending, LogQuery{});
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("triage-chat-0"), std::string::npos);
}

}  // namespace
}  // namespace hai::portal
