// The follower against a small real HTTP server that publishes routing
// tables the way hai-scheduler does (GET /internal/v1/routes, cluster token,
// long-poll on the version), and that can go away.
#include "daemons/gateway/route_follower.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <nlohmann/json.hpp>
#include <thread>

#include "lib/http/bearer.h"
#include "lib/http/server.h"

namespace hai::gateway {
namespace {

using namespace std::chrono_literals;

const std::string kToken(43, 'c');

class SchedulerStandIn {
 public:
  SchedulerStandIn() {
    router_.Add("GET", "/internal/v1/routes", [this](http::Request& req) {
      if (!http::BearerMatches(req, kToken))
        return http::Response::Error(Status::Unauthenticated("cluster token"));
      ++polls;
      std::unique_lock lock(mu_);
      if (auto v = req.Query("version")) {
        const int64_t known = std::stoll(*v);
        const auto wait = std::chrono::milliseconds(std::stoll(req.Query("wait_ms").value_or("0")));
        cv_.wait_for(lock, std::min<std::chrono::milliseconds>(wait, 2s),
                     [&] { return table_.version != known || closing_; });
      }
      return http::Response::Json(200, cluster::ToJson(table_));
    });
    Start(0);
  }
  ~SchedulerStandIn() { Stop(); }

  void Start(int port) {
    http::ServerOptions options;
    options.port = port;
    server_ = std::make_unique<http::Server>(options, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  void Stop() {
    if (!server_) return;
    {
      std::lock_guard lock(mu_);
      closing_ = true;
      cv_.notify_all();
    }
    server_->Stop();
    server_.reset();
    std::lock_guard lock(mu_);
    closing_ = false;
  }
  void Publish(int64_t version, const std::string& service) {
    std::lock_guard lock(mu_);
    table_.version = version;
    table_.services = {{1,
                        service,
                        7,
                        "text-generation",
                        {{5, 100, "active", {{9, "http://127.0.0.1:21000", "node-1"}}}}}};
    cv_.notify_all();
  }
  int port() const { return server_->port(); }
  std::atomic<int> polls{0};

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  cluster::RoutingTable table_;
  bool closing_ = false;
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
};

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

TEST(RouteFollowerTest, FollowsTablesAndKeepsTheLastWhileTheSchedulerIsAway) {
  SchedulerStandIn scheduler;
  scheduler.Publish(100, "ward-chat");
  RouteMap routes;
  metrics::Registry registry;
  GatewayMetrics metrics(&registry);
  RouteFollower follower({"127.0.0.1", scheduler.port()}, kToken, &routes, &metrics);
  EXPECT_FALSE(routes.loaded());
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return routes.Snapshot()->version == 100; }));
  EXPECT_NE(routes.Snapshot()->Find("ward-chat"), nullptr);

  // A change reaches the gateway through the poll that is waiting.
  scheduler.Publish(101, "ward-chat-2");
  ASSERT_TRUE(WaitFor([&] { return routes.Snapshot()->version == 101; }));
  EXPECT_NE(routes.Snapshot()->Find("ward-chat-2"), nullptr);
  EXPECT_EQ(metrics.routes_version->Value({}), 101);

  // The scheduler goes away: the last table stays in use.
  const int port = scheduler.port();
  scheduler.Stop();
  ASSERT_TRUE(WaitFor([&] { return metrics.route_poll_failures->Value({}) >= 1; }));
  EXPECT_TRUE(routes.loaded());
  EXPECT_EQ(routes.Snapshot()->version, 101);
  EXPECT_NE(routes.Snapshot()->Find("ward-chat-2"), nullptr);

  // Back, with a newer table: picked up on the next try.
  scheduler.Publish(102, "ward-chat-3");
  scheduler.Start(port);
  ASSERT_TRUE(WaitFor([&] { return routes.Snapshot()->version == 102; }));
  EXPECT_NE(routes.Snapshot()->Find("ward-chat-3"), nullptr);

  // Stopping cuts the poll the scheduler is holding.
  follower.Stop();
  EXPECT_EQ(routes.Snapshot()->version, 102);
}

TEST(RouteFollowerTest, AWrongTokenIsAFailedPollNotAnEmptyTable) {
  SchedulerStandIn scheduler;
  scheduler.Publish(100, "ward-chat");
  RouteMap routes;
  metrics::Registry registry;
  GatewayMetrics metrics(&registry);
  RouteFollower follower({"127.0.0.1", scheduler.port()}, std::string(43, 'x'), &routes, &metrics);
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return metrics.route_poll_failures->Value({}) >= 1; }));
  EXPECT_FALSE(routes.loaded());
  follower.Stop();
}

}  // namespace
}  // namespace hai::gateway
