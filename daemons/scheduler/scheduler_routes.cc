#include "daemons/scheduler/scheduler_routes.h"

#include <nlohmann/json.hpp>

#include "daemons/scheduler/placement_json.h"
#include "lib/base/time_format.h"
#include "lib/http/bearer.h"
#include "lib/log/log.h"

namespace hai::scheduler {
namespace {

using http::Request;
using http::Response;

nlohmann::json NodeJson(const NodeView& n) {
  const auto& inv = n.registration.inventory;
  std::map<std::string, int> by_model;
  for (const auto& d : inv.devices) by_model[std::string(accel::VendorName(d.vendor)) + "/" + d.model]++;
  return {{"id", n.registration.node},
          {"name", n.registration.node},
          {"status", NodeStatusName(n.status)},
          {"labels", n.registration.labels},
          {"cpu_cores", inv.cpu_cores},
          {"memory_mib", inv.memory_mib},
          {"accelerators", by_model},
          {"device_count", inv.devices.size()},
          {"agent_url", n.registration.agent_url},
          {"agent_version", n.registration.agent_version},
          {"registered_at", FormatIso8601(n.registered_at)},
          {"last_heartbeat", FormatIso8601(n.last_heartbeat)}};
}

using HolderMap = std::map<std::pair<std::string, int>, std::string>;

// (node, device index) → holders, comma-separated when a card is shared.
HolderMap Holders(placement::Ledger* ledger) {
  HolderMap out;
  auto list = ledger->List();
  if (!list.ok()) return out;
  for (const placement::Allocation& a : *list)
    for (int i : a.device_indices) {
      std::string& h = out[{a.node, i}];
      h += (h.empty() ? "" : ",") + a.holder;
    }
  return out;
}

nlohmann::json AcceleratorJson(const NodeView& n, const accel::Device& d, const HolderMap& holders) {
  auto opt = [](double v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); };
  auto opt_int = [](int64_t v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"vendor", accel::VendorName(d.vendor)},
          {"model", d.model},
          {"node", n.registration.node},
          {"node_status", NodeStatusName(n.status)},
          {"index", d.index},
          {"bus_id", d.bus_id},
          {"memory_mib", opt_int(d.memory_mib)},
          {"memory_used_mib", opt_int(d.memory_used_mib)},
          {"utilization", opt(d.utilization)},
          {"temperature_c", opt(d.temperature_c)},
          {"power_w", opt(d.power_w)},
          {"health", accel::HealthName(d.health)},
          {"ecc_errors", opt_int(d.ecc_errors)},
          {"topology_group", d.topology_group},
          {"numa", d.numa_node},
          {"simulated", d.simulated},
          {"held_by", holders.count({n.registration.node, d.index})
                          ? nlohmann::json(holders.at({n.registration.node, d.index}))
                          : nlohmann::json(nullptr)}};
}

Result<nlohmann::json> ParseJson(const Request& req) {
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument("request body is not valid JSON");
  return j;
}

// Wraps a handler with the cluster-token check and error mapping.
http::Handler Guard(std::string token, std::function<Result<Response>(Request&)> fn) {
  return [token = std::move(token), fn = std::move(fn)](Request& req) {
    if (!http::BearerMatches(req, token))
      return Response::Error(Status::Unauthenticated("this route needs the cluster token"));
    Result<Response> r = fn(req);
    if (r.ok()) return std::move(*r);
    if (r.status().code() == Code::kInvalidArgument)
      log::Warn("rejected agent message", {{"request_id", req.request_id}, {"route", req.route},
                                           {"error", r.status().message()}});
    return Response::Error(r.status());
  };
}

bool Matches(const std::optional<std::string>& want, const std::string& value) {
  return !want || want->empty() || *want == value;
}

}  // namespace

void AddSchedulerRoutes(http::Router* router, const RouteDeps& d) {
  router->Add("POST", "/internal/v1/nodes/register", Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
    HAI_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(req));
    HAI_ASSIGN_OR_RETURN(cluster::Registration reg, cluster::RegistrationFromJson(j));
    d.registry->Register(reg, d.clock->NowMs());
    return Response::Json(200, {{"node", reg.node}, {"status", "Ready"}});
  }));
  router->Add("POST", "/internal/v1/nodes/{name}/heartbeat",
              Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
                HAI_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(req));
                HAI_ASSIGN_OR_RETURN(cluster::Heartbeat hb, cluster::HeartbeatFromJson(j));
                if (hb.node != req.Param("name"))
                  return Status::InvalidArgument("heartbeat for " + hb.node + " sent to " +
                                                     req.Param("name"),
                                                 "node");
                HAI_RETURN_IF_ERROR(d.registry->Heartbeat(hb, d.clock->NowMs()));
                return Response::Json(200, {{"ok", true}});
              }));
  router->Add("POST", "/internal/v1/nodes/{name}/replicas",
              Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
                HAI_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(req));
                HAI_ASSIGN_OR_RETURN(cluster::ReplicaReport report,
                                     cluster::ReplicaReportFromJson(j));
                if (report.node != req.Param("name"))
                  return Status::InvalidArgument("replica report for " + report.node +
                                                     " sent to " + req.Param("name"),
                                                 "node");
                HAI_RETURN_IF_ERROR(d.deployments->OnReport(report));
                return Response::Json(200, {{"ok", true}});
              }));
  router->Add("POST", "/internal/v1/deployments/reconcile",
              Guard(d.cluster_token, [d](Request&) -> Result<Response> {
                HAI_RETURN_IF_ERROR(d.deployments->Reconcile());
                return Response::Json(200, {{"ok", true}});
              }));
  router->Add("GET", "/internal/v1/nodes", Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
    nlohmann::json items = nlohmann::json::array();
    auto status = req.Query("status");
    for (const NodeView& n : d.registry->Snapshot())
      if (Matches(status, std::string(NodeStatusName(n.status)))) items.push_back(NodeJson(n));
    return Response::Json(200, {{"items", items}, {"total", items.size()}});
  }));
  router->Add("GET", "/internal/v1/accelerators", Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
    nlohmann::json items = nlohmann::json::array();
    auto vendor = req.Query("vendor"), node = req.Query("node"), model = req.Query("model");
    if (vendor && !vendor->empty() && !accel::ParseVendor(*vendor))
      return Status::InvalidArgument("vendor must be one of ascend, metax, hygon, mthreads, ppu, "
                                     "nvidia, cpu",
                                     "vendor");
    HolderMap holders = Holders(d.ledger);
    for (const NodeView& n : d.registry->Snapshot()) {
      if (!Matches(node, n.registration.node)) continue;
      for (const accel::Device& dev : n.registration.inventory.devices)
        if (Matches(vendor, std::string(accel::VendorName(dev.vendor))) && Matches(model, dev.model))
          items.push_back(AcceleratorJson(n, dev, holders));
    }
    return Response::Json(200, {{"items", items}, {"total", items.size()}});
  }));
  router->Add("POST", "/internal/v1/placements/dry-run",
              Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
                HAI_ASSIGN_OR_RETURN(placement::PlacementRequest r, PlacementRequestFromJson(req.body));
                HAI_ASSIGN_OR_RETURN(placement::Decision decision, d.placer->Place(r));
                return Response::Json(200, ToJson(decision, d.resource_names));
              }));
  router->Add("POST", "/internal/v1/placements", Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    if (!j.is_object() || !j.contains("holder") || !j["holder"].is_string() ||
        j["holder"].get<std::string>().empty() || !j.contains("request") || !j["request"].is_object())
      return Status::InvalidArgument("body must be {\"holder\": string, \"request\": {…}}", "holder");
    std::string holder = j["holder"];
    HAI_ASSIGN_OR_RETURN(placement::PlacementRequest r, PlacementRequestFromJson(j["request"].dump()));
    const int64_t now = d.clock->NowMs();
    HAI_ASSIGN_OR_RETURN(placement::Decision decision, d.placer->PlaceAndBind(r, holder, now));
    std::string where;
    for (const auto& p : decision.replicas) where += (where.empty() ? "" : "; ") + p.node;
    d.events->Record({0, now, decision.feasible ? "placement.bound" : "placement.refused", "",
                      holder + (decision.feasible ? " placed on " + where
                                                  : " refused: " + (decision.reasons.empty()
                                                                        ? std::string("no capacity")
                                                                        : decision.reasons[0].message))});
    return Response::Json(decision.feasible ? 201 : 409, ToJson(decision, d.resource_names));
  }));
  router->Add("DELETE", "/internal/v1/placements/{holder}",
              Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
                HAI_ASSIGN_OR_RETURN(auto released, d.placer->Release(req.Param("holder")));
                if (!released.empty())
                  d.events->Record({0, d.clock->NowMs(), "placement.released", released[0].node,
                                    req.Param("holder") + " released"});
                return Response::Json(200, {{"released", released.size()}});
              }));
  router->Add("GET", "/internal/v1/placements", Guard(d.cluster_token, [d](Request&) -> Result<Response> {
    HAI_ASSIGN_OR_RETURN(auto list, d.ledger->List());
    nlohmann::json items = nlohmann::json::array();
    for (const placement::Allocation& a : list)
      items.push_back({{"id", a.id}, {"holder", a.holder}, {"node", a.node},
                       {"devices", a.device_indices}, {"memory_mib", a.memory_mib},
                       {"exclusive", a.exclusive}, {"since", FormatIso8601(a.since_ms)}});
    return Response::Json(200, {{"items", items}, {"total", items.size()}});
  }));
  router->Add("GET", "/internal/v1/events", Guard(d.cluster_token, [d](Request& req) -> Result<Response> {
    int limit = 100;
    if (auto l = req.Query("limit")) {
      try {
        limit = std::stoi(*l);
      } catch (const std::exception&) {
        limit = 0;
      }
      if (limit < 1 || limit > 1000)
        return Status::InvalidArgument("limit must be an integer from 1 to 1000", "limit");
    }
    HAI_ASSIGN_OR_RETURN(auto events, d.events->Recent(req.Query("node").value_or(""), limit));
    nlohmann::json items = nlohmann::json::array();
    for (const ClusterEvent& e : events)
      items.push_back({{"id", e.id}, {"time", FormatIso8601(e.time)}, {"kind", e.kind},
                       {"node", e.node}, {"message", e.message}});
    return Response::Json(200, {{"items", items}, {"total", items.size()}});
  }));
}

}  // namespace hai::scheduler
