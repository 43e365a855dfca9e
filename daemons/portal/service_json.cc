#include "daemons/portal/service_json.h"

#include "lib/base/time_format.h"
#include "lib/http/json_body.h"

namespace hai::portal {
namespace {

using nlohmann::json;

json OptId(const std::optional<int64_t>& id) { return id ? json(*id) : json(nullptr); }

}  // namespace

Result<ServiceBody> ParseServiceBody(const std::string& text) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(text));
  ServiceBody b;
  body.Required("name", &b.name);
  body.Required("model_id", &b.model_id);
  body.Required("org_id", &b.org_id);
  body.Optional("description", &b.description);
  body.Optional("capabilities", &b.capabilities);
  HAI_RETURN_IF_ERROR(body.Finish());
  return b;
}

Result<ServicePatch> ParseServicePatch(const std::string& text) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(text));
  ServicePatch p;
  body.Optional("description", &p.description);
  body.Optional("capabilities", &p.capabilities);
  HAI_RETURN_IF_ERROR(body.Finish());
  return p;
}

Result<DeploymentRequest> ParseDeploymentBody(const std::string& text) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(text));
  DeploymentRequest r;
  std::optional<std::vector<std::string>> args;
  std::optional<std::map<std::string, std::string>> env;
  body.Optional("cluster", &r.cluster);
  body.Required("engine", &r.engine);
  body.Required("vendor", &r.vendor);
  body.Optional("model", &r.device_model);
  body.Required("devices_per_replica", &r.devices_per_replica);
  body.Optional("memory_mib", &r.memory_mib);
  body.Required("replicas", &r.replicas);
  body.Optional("args", &args);
  body.Optional("env", &env);
  body.Optional("weight", &r.weight);
  HAI_RETURN_IF_ERROR(body.Finish());
  if (args) r.args = std::move(*args);
  if (env) r.env = std::move(*env);
  return r;
}

Result<DeploymentPatch> ParseDeploymentPatch(const std::string& text) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(text));
  DeploymentPatch p;
  std::optional<std::string> state;
  body.Optional("replicas", &p.replicas);
  body.Optional("weight", &p.weight);
  body.Optional("args", &p.args);
  body.Optional("env", &p.env);
  body.Optional("state", &state);
  HAI_RETURN_IF_ERROR(body.Finish());
  if (state) {
    p.state = ParseDeploymentState(*state);
    // 'deleting' is DELETE's to set.
    if (!p.state || *p.state == DeploymentState::kDeleting)
      return Status::InvalidArgument("state must be active or stopped", "state");
  }
  return p;
}

json ToJson(const ModelService& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"description", s.description},
          {"capabilities", s.capabilities},
          {"org_id", s.org_id},
          {"org_name", s.org_name},
          {"model_id", s.model_id},
          {"model_name", s.model_name},
          {"created_by", OptId(s.created_by)},
          {"state", s.deleting ? "deleting" : "active"},
          {"deployment_count", s.deployments},
          {"desired", s.desired},
          {"ready", s.ready},
          {"online", s.online},
          {"created_at", FormatIso8601(s.created_at)},
          {"updated_at", FormatIso8601(s.updated_at)}};
}

json ToJson(const Deployment& d) {
  return {{"id", d.id},
          {"service_id", d.service_id},
          {"cluster", d.spec.cluster},
          {"engine", d.spec.engine},
          {"vendor", d.spec.vendor},
          {"model", d.spec.device_model},
          {"devices_per_replica", d.spec.devices_per_replica},
          {"memory_mib", d.spec.memory_mib},
          {"replicas", d.spec.replicas},
          {"args", d.spec.args},
          {"env", d.spec.env},
          {"weight", d.spec.weight},
          {"model_path", d.model_path},
          {"state", DeploymentStateName(d.state)},
          {"generation", d.generation},
          {"desired", d.Desired()},
          {"ready", d.ready},
          {"online", d.Online()},
          {"created_at", FormatIso8601(d.created_at)},
          {"updated_at", FormatIso8601(d.updated_at)}};
}

json ToJson(const ReplicaInfo& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"status", r.status},
          {"cluster", r.cluster},
          {"node", r.node},
          {"devices", r.devices},
          {"restarts", r.restarts},
          {"address", r.address},
          {"deployment_id", r.deployment_id},
          {"generation", r.generation},
          {"pid", r.pid},
          {"stopping", r.stopping},
          {"reason", r.reason},
          {"message", r.message},
          {"created_at", FormatIso8601(r.created_at)},
          {"updated_at", FormatIso8601(r.updated_at)}};
}

json ToJson(const ReplicaEventInfo& e) {
  return {{"id", e.id},     {"replica_id", e.replica_id}, {"time", FormatIso8601(e.time)},
          {"type", e.type}, {"reason", e.reason},         {"message", e.message}};
}

json DoesNotFitJson(const std::string& message, const std::vector<FitRefusal>& reasons) {
  json items = json::array();
  for (const FitRefusal& r : reasons)
    items.push_back({{"node", r.node}, {"code", r.code}, {"message", r.message}});
  return {{"error", {{"code", "does_not_fit"}, {"message", message}, {"reasons", items}}}};
}

}  // namespace hai::portal
