#include "lib/http/router.h"

#include <gtest/gtest.h>

namespace hai::http {
namespace {

TEST(RouterTest, MatchesLiteralAndParams) {
  Router r;
  r.Add("GET", "/api/v1/orgs", [](Request&) { return Response::Text(200, "list", "text/plain"); });
  r.Add("GET", "/api/v1/orgs/{id}/members/{user_id}",
        [](Request& q) { return Response::Text(200, q.Param("id") + q.Param("user_id"), "t"); });
  Request req;
  req.method = "GET";
  req.path = "/api/v1/orgs/7/members/9";
  const Router::Route* route = nullptr;
  ASSERT_EQ(r.Find(req, &route), Router::Match::kFound);
  EXPECT_EQ(route->handler(req).body, "79");
  EXPECT_EQ(req.route, "/api/v1/orgs/{id}/members/{user_id}");
}

TEST(RouterTest, DistinguishesWrongMethodFromNoPath) {
  Router r;
  r.Add("GET", "/a/{x}", [](Request&) { return Response::NoContent(); });
  Request req;
  req.method = "POST";
  req.path = "/a/1";
  const Router::Route* route = nullptr;
  EXPECT_EQ(r.Find(req, &route), Router::Match::kWrongMethod);
  req.path = "/a/1/b";
  EXPECT_EQ(r.Find(req, &route), Router::Match::kNoPath);
  req.method = "GET";
  req.path = "/a/";
  EXPECT_EQ(r.Find(req, &route), Router::Match::kNoPath);
}

TEST(RouterTest, RestPlaceholderTakesTheRemainingPath) {
  Router r;
  r.Add("GET", "/m/{id}/files/{path...}",
        [](Request& q) { return Response::Text(200, q.Param("id") + "|" + q.Param("path"), "t"); });
  const Router::Route* route = nullptr;
  Request req;
  req.method = "GET";
  req.path = "/m/3/files/a/b/c.json";
  ASSERT_EQ(r.Find(req, &route), Router::Match::kFound);
  EXPECT_EQ(route->handler(req).body, "3|a/b/c.json");
  req.path = "/m/3/files/x";
  ASSERT_EQ(r.Find(req, &route), Router::Match::kFound);
  EXPECT_EQ(req.Param("path"), "x");
  // An absolute-looking rest is handed over as it is, for the handler to refuse.
  req.path = "/m/3/files//etc/passwd";
  ASSERT_EQ(r.Find(req, &route), Router::Match::kFound);
  EXPECT_EQ(req.Param("path"), "/etc/passwd");
  req.path = "/m/3/files/";
  EXPECT_EQ(r.Find(req, &route), Router::Match::kNoPath);
  req.path = "/m/3/files";
  EXPECT_EQ(r.Find(req, &route), Router::Match::kNoPath);
}

}  // namespace
}  // namespace hai::http

#include "lib/http/url.h"

namespace hai::http {
namespace {

TEST(UrlTest, ParsesHostAndPort) {
  auto u = ParseHttpUrl("http://127.0.0.1:7001", "x");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 7001);
  EXPECT_EQ(ParseHttpUrl("http://control/", "x")->port, 80);
  EXPECT_FALSE(ParseHttpUrl("https://a:1", "x").ok());
  EXPECT_FALSE(ParseHttpUrl("http://a:99999", "x").ok());
  EXPECT_FALSE(ParseHttpUrl("http://a:1/path", "x").ok());
  EXPECT_EQ(ParseHttpUrl("ftp://a", "agent.scheduler_url").status().field(), "agent.scheduler_url");
}

}  // namespace
}  // namespace hai::http
