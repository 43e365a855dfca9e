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

}  // namespace
}  // namespace hai::http
