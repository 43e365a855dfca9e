#include "daemons/scheduler/route_table_routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "lib/http/bearer.h"

namespace hai::scheduler {
namespace {

Result<int64_t> QueryInt(const http::Request& req, const std::string& name, int64_t dflt,
                         int64_t min, int64_t max) {
  auto text = req.Query(name);
  if (!text) return dflt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max)
    return Status::InvalidArgument(
        name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
        name);
  return value;
}

Result<http::Response> Routes(RouteTable* table, const http::Request& req) {
  HAI_ASSIGN_OR_RETURN(int64_t wait_ms, QueryInt(req, "wait_ms", 0, 0, INT64_MAX));
  wait_ms = std::min(wait_ms, kMaxRoutesWaitMs);
  std::shared_ptr<const cluster::RoutingTable> current;
  if (req.Query("version")) {
    HAI_ASSIGN_OR_RETURN(int64_t known, QueryInt(req, "version", 0, 0, INT64_MAX));
    current = table->WaitForChange(known, std::chrono::milliseconds(wait_ms));
  } else {
    current = table->Current();
  }
  http::Response res = http::Response::Json(200, cluster::ToJson(*current));
  res.AddHeader("Cache-Control", "no-store");
  return res;
}

}  // namespace

void AddRouteTableRoutes(http::Router* router, RouteTable* table, std::string cluster_token) {
  router->Add("GET", "/internal/v1/routes",
              [table, token = std::move(cluster_token)](http::Request& req) {
                if (!http::BearerMatches(req, token))
                  return http::Response::Error(
                      Status::Unauthenticated("this route needs the cluster token"));
                Result<http::Response> r = Routes(table, req);
                return r.ok() ? std::move(*r) : http::Response::Error(r.status());
              });
}

}  // namespace hai::scheduler
