#include "lib/http/url.h"

#include <gtest/gtest.h>

namespace hai::http {
namespace {

TEST(UrlTest, PlainUrlsKeepTheirMeaning) {
  auto url = ParseHttpUrl("http://10.0.0.5:7001/", "cluster.scheduler_url");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->host, "10.0.0.5");
  EXPECT_EQ(url->port, 7001);
  EXPECT_FALSE(url->https);
  EXPECT_EQ(url->ToString(), "http://10.0.0.5:7001");
  auto bare = ParseHttpUrl("http://portal", "f");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->port, 80);
}

TEST(UrlTest, HttpsOnlyWhereTheCallerAllowsIt) {
  auto url = ParseHttpUrl("https://hai-1:8080", "cluster.portal_url", UrlSchemes::kHttpOrHttps);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_TRUE(url->https);
  EXPECT_EQ(url->host, "hai-1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->ToString(), "https://hai-1:8080");
  auto default_port = ParseHttpUrl("https://vip.example", "f", UrlSchemes::kHttpOrHttps);
  ASSERT_TRUE(default_port.ok());
  EXPECT_EQ(default_port->port, 443);

  auto refused = ParseHttpUrl("https://hai-1:7001", "agent.scheduler_url");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("agent.scheduler_url"), std::string::npos);
  EXPECT_NE(refused.status().message().find("plain HTTP"), std::string::npos);
}

TEST(UrlTest, BadUrlsNameTheField) {
  for (const char* bad : {"ftp://x:1", "hai-1:8080", "https://", "http://h:0", "http://h:99999",
                          "https://h:8080/api", "http://:80"}) {
    auto url = ParseHttpUrl(bad, "portal.gateway_url", UrlSchemes::kHttpOrHttps);
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().message().rfind("portal.gateway_url: ", 0), 0u)
        << url.status().message();
  }
}

}  // namespace
}  // namespace hai::http
