#include "daemons/scheduler/placement_json.h"

#include <nlohmann/json.hpp>

#include "lib/http/json_body.h"

namespace hai::scheduler {
namespace {

template <typename T, typename Parse>
Status ReadEnum(http::JsonBody& body, const std::string& key, T* out, Parse parse,
                const std::string& allowed) {
  std::optional<std::string> text;
  body.Optional(key, &text);
  if (!text) return Status::Ok();
  auto v = parse(*text);
  if (!v) return Status::InvalidArgument(key + " must be one of " + allowed, key);
  *out = *v;
  return Status::Ok();
}

int64_t Clamp(int64_t v) { return std::max<int64_t>(std::min<int64_t>(v, 1 << 30), -(1 << 30)); }

}  // namespace

Result<placement::PlacementRequest> PlacementRequestFromJson(const std::string& text) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(text));
  placement::PlacementRequest r;
  int64_t devices = 1, replicas = 1, cpu = 0;
  std::optional<std::map<std::string, std::string>> selector;
  body.Required("vendor", &r.vendor);
  body.Optional("model", &r.model);
  body.Optional("cluster", &r.cluster);
  body.Optional("devices_per_replica", &devices);
  body.Optional("memory_mib", &r.memory_mib);
  body.Optional("replicas", &replicas);
  body.Optional("gang", &r.gang);
  body.Optional("cpu_cores", &cpu);
  body.Optional("host_memory_mib", &r.host_memory_mib);
  // "exclusive" is the API's word for a whole device; the library says "whole".
  HAI_RETURN_IF_ERROR(ReadEnum(body, "sharing", &r.sharing,
                               [](const std::string& s) {
                                 return placement::ParseSharing(s == "exclusive" ? "whole" : s);
                               },
                               "exclusive, shared"));
  HAI_RETURN_IF_ERROR(ReadEnum(body, "topology", &r.topology,
                               [](const std::string& s) { return placement::ParseTopology(s); },
                               "same-group, same-numa, any"));
  HAI_RETURN_IF_ERROR(ReadEnum(body, "policy", &r.node_policy,
                               [](const std::string& s) { return placement::ParsePolicy(s); },
                               "binpack, spread, first-fit"));
  HAI_RETURN_IF_ERROR(ReadEnum(body, "device_policy", &r.device_policy,
                               [](const std::string& s) { return placement::ParsePolicy(s); },
                               "binpack, spread, first-fit"));
  std::optional<std::vector<std::string>> labels;
  body.Optional("node_selector", &labels);

  HAI_RETURN_IF_ERROR(body.Finish());
  if (labels) {
    for (const std::string& l : *labels) {
      size_t eq = l.find('=');
      if (eq == std::string::npos || eq == 0)
        return Status::InvalidArgument("node_selector entries are key=value", "node_selector");
      r.node_selector.push_back({l.substr(0, eq), l.substr(eq + 1)});
    }
  }
  r.devices_per_replica = static_cast<int>(Clamp(devices));
  r.replicas = static_cast<int>(Clamp(replicas));
  r.cpu_cores = static_cast<int>(Clamp(cpu));
  HAI_RETURN_IF_ERROR(placement::Validate(r));
  return r;
}

nlohmann::json ToJson(const placement::Decision& d, const ResourceNamesFn& resource_names) {
  nlohmann::json placements = nlohmann::json::array(), reasons = nlohmann::json::array();
  for (const placement::ReplicaPlacement& p : d.replicas)
    placements.push_back({{"replica", p.replica},
                          {"node", p.node},
                          {"vendor", accel::VendorName(p.vendor)},
                          {"model", p.model},
                          {"devices", p.device_indices},
                          {"memory_mib", p.memory_mib},
                          {"exclusive", p.exclusive},
                          {"cpu_cores", p.cpu_cores},
                          {"host_memory_mib", p.host_memory_mib},
                          {"env", p.env},
                          {"kubernetes_resources",
                           resource_names ? resource_names(p.vendor, p.model)
                                          : std::vector<std::string>{}},
                          {"score", p.score}});
  for (const placement::Refusal& r : d.reasons)
    reasons.push_back({{"node", r.node}, {"code", placement::ReasonName(r.reason)},
                       {"message", r.message}});
  return {{"feasible", d.feasible},
          {"gang", d.gang},
          {"requested_replicas", d.requested_replicas},
          {"placements", placements},
          {"reasons", reasons}};
}

}  // namespace hai::scheduler
