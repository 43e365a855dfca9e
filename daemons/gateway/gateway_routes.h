#pragma once

#include "daemons/gateway/inference_proxy.h"
#include "daemons/gateway/route_map.h"
#include "lib/http/router.h"
#include "lib/http/server.h"
#include "lib/metrics/registry.h"

namespace hai::gateway {

// The gateway's routes: the OpenAI-compatible /v1 paths, /healthz (healthy
// once a routing table has arrived) and /metrics.
void AddGatewayRoutes(http::Router* router, InferenceProxy* proxy, const RouteMap* routes,
                      metrics::Registry* registry);

// lib/http server options for the gateway: its own errors in OpenAI's shape.
http::ServerOptions GatewayServerOptions(const std::string& listen, int port, int threads,
                                         int64_t max_body_bytes);

}  // namespace hai::gateway
