#include "daemons/gateway/gateway_routes.h"

#include "daemons/gateway/openai_error.h"

namespace hai::gateway {

void AddGatewayRoutes(http::Router* router, InferenceProxy* proxy, const RouteMap* routes,
                      metrics::Registry* registry) {
  for (const char* path :
       {"/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/rerank"})
    router->Add("POST", path, [proxy](http::Request& req) { return proxy->Forward(req); });
  router->Add("GET", "/v1/models", [proxy](http::Request& req) { return proxy->Models(req); });
  // From the first table on, the gateway serves on the last one it has even
  // while the scheduler is away.
  http::AddStandardRoutes(router, registry, [routes] {
    return routes->loaded() ? Status::Ok()
                            : Status::Unavailable("no routing table from the scheduler yet");
  });
}

http::ServerOptions GatewayServerOptions(const std::string& listen, int port, int threads,
                                         int64_t max_body_bytes) {
  http::ServerOptions opts;
  opts.host = listen;
  opts.port = port;
  opts.threads = threads;
  opts.max_body_bytes = static_cast<size_t>(max_body_bytes);
  opts.metrics_prefix = "hai_gateway_http";
  opts.error_response = ServerErrorResponse;
  return opts;
}

}  // namespace hai::gateway
