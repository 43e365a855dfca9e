#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "daemons/gateway/gateway_metrics.h"
#include "daemons/gateway/route_map.h"
#include "lib/base/clock.h"

namespace hai::gateway {

// Puts ejected replicas back: each one due for a probe gets
// GET /health (200 means it serves), and either rejoins the rotation or
// waits twice as long for its next probe. Start/Stop from one thread.
class ReplicaProber {
 public:
  ReplicaProber(RouteMap* routes, GatewayMetrics* metrics, const Clock* clock,
                int connect_timeout_ms, int64_t max_eject_ms);
  ~ReplicaProber();
  void Start();
  void Stop();
  // One round over the replicas that are due (what the thread runs every
  // 250 ms); public for tests.
  void ProbeDue();

 private:
  void Run();

  RouteMap* routes_;
  GatewayMetrics* metrics_;
  const Clock* clock_;
  const int connect_timeout_ms_;
  const int64_t max_eject_ms_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
};

}  // namespace hai::gateway
