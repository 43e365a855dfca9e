#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "daemons/gateway/gateway_metrics.h"
#include "daemons/gateway/route_map.h"
#include "lib/http/client.h"
#include "lib/http/url.h"

namespace hai::gateway {

// Follows the scheduler's routing table: long-polls
// GET /internal/v1/routes?version=N&wait_ms=M and puts each new table into
// the RouteMap. While the scheduler cannot be reached the last table stays
// in use and the poll is retried every second. Start/Stop from one thread.
class RouteFollower {
 public:
  RouteFollower(http::HttpUrl scheduler, std::string cluster_token, RouteMap* routes,
                GatewayMetrics* metrics);
  ~RouteFollower();
  void Start();
  void Stop();

  // How long one poll may be held by the scheduler.
  static constexpr int64_t kWaitMs = 25'000;

 private:
  void Run();
  // One poll; a new table goes into the RouteMap and `version`.
  Status PollOnce(int64_t* version);
  bool Sleep(std::chrono::milliseconds how_long);

  http::HttpUrl scheduler_;
  std::string token_;
  RouteMap* routes_;
  GatewayMetrics* metrics_;
  http::Client client_;  // the follower thread's; Cancel() from Stop
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  bool finished_ = false;  // GUARDED_BY(mu_)
};

}  // namespace hai::gateway
