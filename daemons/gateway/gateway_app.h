#pragma once

#include <memory>

#include "daemons/gateway/call_log_sink.h"
#include "daemons/gateway/caller_identity.h"
#include "daemons/gateway/client_pool.h"
#include "daemons/gateway/gateway_config.h"
#include "daemons/gateway/gateway_metrics.h"
#include "daemons/gateway/inference_proxy.h"
#include "daemons/gateway/key_cache.h"
#include "daemons/gateway/picker.h"
#include "daemons/gateway/portal_key_validator.h"
#include "daemons/gateway/rate_limiter.h"
#include "daemons/gateway/replica_prober.h"
#include "daemons/gateway/route_follower.h"
#include "daemons/gateway/route_map.h"
#include "daemons/gateway/token_counter.h"
#include "lib/base/clock.h"
#include "lib/http/server.h"
#include "lib/metrics/registry.h"

namespace hai::gateway {

// The hai-gateway component: OpenAI-compatible /v1 routes in front of the
// engine replicas, API keys checked through the portal, routes followed from
// the scheduler. Create/Start/Stop from the main thread.
class GatewayApp {
 public:
  static Result<std::unique_ptr<GatewayApp>> Create(const GatewayConfig& config,
                                                    const Clock* clock);
  ~GatewayApp();
  Status Start();
  // Stops serving, then sends the call records still queued (bounded).
  void Stop();
  int port() const { return server_ ? server_->port() : 0; }

 private:
  GatewayApp(const GatewayConfig& config, const Clock* clock) : config_(config), clock_(clock) {}

  GatewayConfig config_;
  const Clock* clock_;
  metrics::Registry registry_;
  std::unique_ptr<GatewayMetrics> metrics_;
  std::unique_ptr<PortalKeyValidator> validator_;
  std::unique_ptr<KeyCache> keys_;
  std::unique_ptr<CallerIdentity> callers_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<CallLogSink> call_log_;
  std::unique_ptr<TokenCounter> tokens_;
  RouteMap routes_;
  std::unique_ptr<Picker> picker_;
  std::unique_ptr<ClientPool> upstreams_;
  std::unique_ptr<InferenceProxy> proxy_;
  std::unique_ptr<RouteFollower> follower_;
  std::unique_ptr<ReplicaProber> prober_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace hai::gateway
