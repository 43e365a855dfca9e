// Cluster views: the scheduler owns nodes, devices and their events; the
// portal checks the caller's role and asks it over HTTP with the cluster token.
#include <nlohmann/json.hpp>

#include "daemons/portal/routes.h"
#include "lib/http/client.h"

namespace hai::portal {
namespace {

using http::Response;

// Query parameters passed through to the scheduler, URL-encoded.
std::string PassQuery(const http::Request& req, std::initializer_list<const char*> names) {
  std::string out;
  for (const char* name : names) {
    auto v = req.Query(name);
    if (!v || v->empty()) continue;
    std::string enc;
    for (unsigned char c : *v) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        enc += static_cast<char>(c);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof(buf), "%%%02X", c);
        enc += buf;
      }
    }
    out += (out.empty() ? "?" : "&") + std::string(name) + "=" + enc;
  }
  return out;
}

Result<Response> AskScheduler(Services* s, const std::string& method, const std::string& path,
                              const std::string& body = {}) {
  http::Client client(s->scheduler_host, s->scheduler_port, 5000);
  auto r = client.Send(method, path, body, {{"Authorization", "Bearer " + s->cluster_token}});
  if (!r.ok()) return Status::Unavailable("the scheduler is unreachable: " + r.status().message());
  // The scheduler answers in the API's own shapes, errors included.
  return Response::Text(r->status, r->body, "application/json");
}

}  // namespace

void AddClusterRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/nodes", Permission::kClusterRead, "", "",
            "List nodes with status, labels, CPU and memory, last heartbeat"},
           [s](Call& c) {
             return AskScheduler(s, "GET", "/internal/v1/nodes" + PassQuery(c.req, {"status"}));
           });
  api->Add({"GET", "/api/v1/accelerators", Permission::kClusterRead, "", "",
            "List accelerators with memory, utilisation, health, topology and holder"},
           [s](Call& c) {
             return AskScheduler(s, "GET", "/internal/v1/accelerators" +
                                               PassQuery(c.req, {"vendor", "model", "node"}));
           });
  api->Add({"POST", "/api/v1/placements/dry-run", Permission::kPlacementDryRun,
            "placement.dry_run", "placement",
            "Where would this workload go? Devices and environment, or reasons per node; binds nothing"},
           [s](Call& c) -> Result<Response> {
             c.summary = c.req.body.substr(0, 300);
             return AskScheduler(s, "POST", "/internal/v1/placements/dry-run", c.req.body);
           });
  api->Add({"GET", "/api/v1/cluster-events", Permission::kClusterRead, "", "",
            "Node and device events (registrations, state changes, placements)"},
           [s](Call& c) {
             return AskScheduler(s, "GET", "/internal/v1/events" + PassQuery(c.req, {"node", "limit"}));
           });
}

}  // namespace hai::portal
