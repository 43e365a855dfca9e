#include "lib/cluster/route_wire.h"

#include <nlohmann/json.hpp>

#include "lib/cluster/json_reader.h"

namespace hai::cluster {
namespace {

using internal::Reader;

// An array field of `r`, each element read by `read`; the first error wins.
template <typename T, typename ReadFn>
Status ReadArray(Reader& r, const char* key, const std::string& where, std::vector<T>* out,
                 ReadFn read) {
  const nlohmann::json* items = r.Child(key);
  const std::string path = where.empty() ? key : where + "." + key;
  if (!items || !items->is_array())
    return Status::InvalidArgument(path + " must be an array", path);
  for (size_t i = 0; i < items->size(); ++i) {
    HAI_ASSIGN_OR_RETURN(T item, read((*items)[i], path + "[" + std::to_string(i) + "]"));
    out->push_back(std::move(item));
  }
  return Status::Ok();
}

Result<RouteReplica> ReplicaAt(const nlohmann::json& j, const std::string& where) {
  Reader r(j, where);
  RouteReplica out;
  r.Get("id", &out.id);
  r.Get("address", &out.address);
  r.Get("node", &out.node);
  HAI_RETURN_IF_ERROR(r.status());
  return out;
}

Result<RouteDeployment> DeploymentAt(const nlohmann::json& j, const std::string& where) {
  Reader r(j, where);
  RouteDeployment out;
  r.Get("id", &out.id);
  r.Get("weight", &out.weight);
  r.Get("state", &out.state);
  HAI_RETURN_IF_ERROR(r.status());
  if (out.weight < 0)
    return Status::InvalidArgument(r.Path("weight") + " must not be negative", r.Path("weight"));
  HAI_RETURN_IF_ERROR(ReadArray(r, "replicas", where, &out.replicas, ReplicaAt));
  return out;
}

Result<RouteService> ServiceAt(const nlohmann::json& j, const std::string& where) {
  Reader r(j, where);
  RouteService out;
  r.Get("service_id", &out.service_id);
  r.Get("name", &out.name);
  r.Get("org_id", &out.org_id);
  r.Get("model_category", &out.model_category);
  r.Get("model_id", &out.model_id, /*required=*/false);
  r.Get("model_digest", &out.model_digest, /*required=*/false);
  HAI_RETURN_IF_ERROR(r.status());
  HAI_RETURN_IF_ERROR(ReadArray(r, "deployments", where, &out.deployments, DeploymentAt));
  return out;
}

}  // namespace

nlohmann::json ToJson(const RoutingTable& table) {
  nlohmann::json services = nlohmann::json::array();
  for (const RouteService& s : table.services) {
    nlohmann::json deployments = nlohmann::json::array();
    for (const RouteDeployment& d : s.deployments) {
      nlohmann::json replicas = nlohmann::json::array();
      for (const RouteReplica& r : d.replicas)
        replicas.push_back({{"id", r.id}, {"address", r.address}, {"node", r.node}});
      deployments.push_back(
          {{"id", d.id}, {"weight", d.weight}, {"state", d.state}, {"replicas", replicas}});
    }
    services.push_back({{"service_id", s.service_id},
                        {"name", s.name},
                        {"org_id", s.org_id},
                        {"model_category", s.model_category},
                        {"model_id", s.model_id},
                        {"model_digest", s.model_digest},
                        {"deployments", deployments}});
  }
  return {{"version", table.version}, {"services", services}};
}

Result<RoutingTable> RoutingTableFromJson(const nlohmann::json& j) {
  Reader r(j, "");
  RoutingTable out;
  r.Get("version", &out.version);
  HAI_RETURN_IF_ERROR(r.status());
  HAI_RETURN_IF_ERROR(ReadArray(r, "services", "", &out.services, ServiceAt));
  return out;
}

}  // namespace hai::cluster
