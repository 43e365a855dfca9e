// Model services and their deployments: /api/v1/services. The portal writes
// the desired state; hai-scheduler's deployment controller turns it into
// replicas and is told after every change.
#include <algorithm>

#include "daemons/portal/json_views.h"
#include "daemons/portal/list_query.h"
#include "daemons/portal/model_registry.h"
#include "daemons/portal/model_store.h"
#include "daemons/portal/org_store.h"
#include "daemons/portal/routes.h"
#include "daemons/portal/service_access.h"
#include "daemons/portal/service_deployment_store.h"
#include "daemons/portal/service_json.h"
#include "daemons/portal/service_store.h"
#include "daemons/portal/service_validation.h"
#include "lib/engine_profile/engine_args.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

void Kick(Services* s) {
  if (s->reconcile) s->reconcile->Kick();
}

bool Shows(const Model& m, int64_t org_id) {
  return m.visible_to_all || std::find(m.visible_org_ids.begin(), m.visible_org_ids.end(),
                                       org_id) != m.visible_org_ids.end();
}

Status ModelNotFound(int64_t id) {
  return Status(Code::kNotFound, "model " + std::to_string(id) + " not found", "model_id");
}

// A new service's model: one the caller can see (else it does not exist for
// them), shown to the service's organisation, with weights on the appliance.
Status CheckServableModel(const Principal& who, const Org& org, const Model& m) {
  bool caller_sees =
      who.IsAdmin() || std::any_of(who.memberships.begin(), who.memberships.end(),
                                   [&](const Membership& ms) { return Shows(m, ms.org_id); });
  if (!caller_sees) return ModelNotFound(m.id);
  if (!Shows(m, org.id))
    return Status::InvalidArgument(
        "model '" + m.name + "' is not visible to organisation '" + org.name + "'", "model_id");
  if (!m.available)
    return Status::InvalidArgument(
        "model '" + m.name + "' has no weights on this appliance; import them first", "model_id");
  return Status::Ok();
}

Result<Response> ListServices(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ListWindow window,
                       ParseListWindow(call.req, services::SortColumns(), services::kDefaultSort));
  services::Filter filter;
  HAI_ASSIGN_OR_RETURN(filter.org_id, QueryInt(call.req, "org_id"));
  HAI_ASSIGN_OR_RETURN(filter.model_id, QueryInt(call.req, "model_id"));
  filter.q = call.req.Query("q").value_or("");
  if (!call.who->IsAdmin()) filter.visible_orgs = call.who->OrgsWhere(Permission::kServiceRead);
  Page<ModelService> page;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(page, services::List(tx, filter, window));
    return Status::Ok();
  }));
  return Response::Json(200, PageJson(page, [](const ModelService& m) { return ToJson(m); }));
}

Result<Response> CreateService(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ServiceBody body, ParseServiceBody(call.req.body));
  HAI_RETURN_IF_ERROR(CheckServiceName(body.name));
  HAI_RETURN_IF_ERROR(CheckServiceDescription(body.description));
  if (body.capabilities) HAI_RETURN_IF_ERROR(CheckServiceCapabilities(*body.capabilities));
  const Principal& who = *call.who;
  call.org_id = body.org_id;
  call.summary = "name=" + body.name + " model_id=" + std::to_string(body.model_id);
  if (!who.IsAdmin() && !who.RoleIn(body.org_id))
    return Status::NotFound("organisation " + std::to_string(body.org_id) + " not found");
  if (!who.May(Permission::kServiceManage, body.org_id))
    return Status::PermissionDenied("your role in organisation " + std::to_string(body.org_id) +
                                    " does not allow service.manage");
  ModelService made;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(Org org, orgs::Get(tx, body.org_id));
    Result<Model> model = models::Get(tx, body.model_id);
    if (!model.ok() && model.status().code() == Code::kNotFound)
      return ModelNotFound(body.model_id);
    HAI_RETURN_IF_ERROR(model.status());
    HAI_RETURN_IF_ERROR(CheckServableModel(who, org, *model));
    services::NewService n{body.org_id,      body.name,
                           body.description, body.capabilities.value_or(model->facts.capabilities),
                           body.model_id,    who.user.id};
    HAI_ASSIGN_OR_RETURN(made, services::Insert(tx, n, s->clock->NowMs()));
    return Status::Ok();
  }));
  call.resource_id = std::to_string(made.id);
  call.summary = "name=" + made.name + " model=" + made.model_name;
  return Response::Json(201, ToJson(made));
}

Result<Response> GetService(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  ModelService service;
  std::vector<Deployment> list;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(service, VisibleService(tx, *call.who, id));
    HAI_ASSIGN_OR_RETURN(list, deployments::OfService(tx, id));
    return Status::Ok();
  }));
  nlohmann::json out = ToJson(service);
  out["deployments"] = nlohmann::json::array();
  for (const Deployment& d : list) out["deployments"].push_back(ToJson(d));
  return Response::Json(200, out);
}

Result<Response> UpdateService(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(ServicePatch patch, ParseServicePatch(call.req.body));
  if (patch.description) HAI_RETURN_IF_ERROR(CheckServiceDescription(*patch.description));
  if (patch.capabilities) HAI_RETURN_IF_ERROR(CheckServiceCapabilities(*patch.capabilities));
  ModelService service;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(service, VisibleService(tx, *call.who, id));
    call.org_id = service.org_id;
    HAI_RETURN_IF_ERROR(MayManage(*call.who, service));
    HAI_RETURN_IF_ERROR(NotDeleting(service));
    HAI_RETURN_IF_ERROR(
        services::Update(tx, id, patch.description, patch.capabilities, s->clock->NowMs()));
    HAI_ASSIGN_OR_RETURN(service, services::Get(tx, id));
    return Status::Ok();
  }));
  call.summary = "name=" + service.name + " changed:" + (patch.description ? " description" : "") +
                 (patch.capabilities ? " capabilities" : "");
  return Response::Json(200, ToJson(service));
}

Result<Response> DeleteService(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  ModelService service;
  bool removed = false;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(service, VisibleService(tx, *call.who, id));
    call.org_id = service.org_id;
    HAI_RETURN_IF_ERROR(MayManage(*call.who, service));
    HAI_ASSIGN_OR_RETURN(removed, services::Delete(tx, id, s->clock->NowMs()));
    if (!removed) {
      HAI_ASSIGN_OR_RETURN(service, services::Get(tx, id));
    }
    return Status::Ok();
  }));
  call.summary = "name=" + service.name +
                 (removed ? "; removed" : "; deployments stopping, removed once they are gone");
  if (removed) return Response::NoContent();
  Kick(s);
  return Response::Json(202, ToJson(service));
}

// What a change to a deployment needs from the database: the service, which
// the caller may change, and its model.
struct DeployTarget {
  ModelService service;
  Model model;
};

Result<DeployTarget> LoadTarget(Database::Tx& tx, Call& call, int64_t service_id) {
  DeployTarget t;
  HAI_ASSIGN_OR_RETURN(t.service, VisibleService(tx, *call.who, service_id));
  call.org_id = t.service.org_id;
  HAI_RETURN_IF_ERROR(MayManage(*call.who, t.service));
  HAI_RETURN_IF_ERROR(NotDeleting(t.service));
  HAI_ASSIGN_OR_RETURN(t.model, models::Get(tx, t.service.model_id));
  return t;
}

Status CheckEngine(Services* s, const DeploymentRequest& r, const Model& model,
                   const std::string& model_path) {
  if (!s->engines || !s->adapters)
    return Status::Unavailable("engine profiles are not loaded in this portal");
  return CheckEngineFits(*s->engines, *s->adapters, r, model.facts.category, model_path);
}

std::string Describe(const DeploymentRequest& r) {
  std::string env;
  for (const auto& [name, value] : r.env) env += (env.empty() ? "" : ",") + name;
  return "cluster=" + r.cluster + " engine=" + r.engine + " vendor=" + r.vendor +
         (r.device_model.empty() ? "" : " model=" + r.device_model) +
         " devices_per_replica=" + std::to_string(r.devices_per_replica) +
         " replicas=" + std::to_string(r.replicas) + " weight=" + std::to_string(r.weight) +
         " args=" + std::to_string(r.args.size()) + " env=[" + env + "]";
}

// Asks the scheduler whether `replicas` more replicas of `r` fit now. Returns
// the 409 to answer when they do not; nothing is stored then.
Result<std::optional<Response>> RefuseUnlessFits(Services* s, Call& call,
                                                 const DeploymentRequest& r, int64_t replicas) {
  if (replicas <= 0) return std::optional<Response>();
  HAI_ASSIGN_OR_RETURN(FitCheck fit, CheckFit(SchedulerOf(*s), r, replicas));
  if (fit.fits) return std::optional<Response>();
  std::string why;
  for (size_t i = 0; i < fit.reasons.size() && i < 3; ++i)
    why += (why.empty() ? "" : "; ") +
           (fit.reasons[i].node.empty() ? "" : fit.reasons[i].node + ": ") + fit.reasons[i].message;
  std::string message = "no room for " + std::to_string(replicas) + " replica(s) of " +
                        std::to_string(r.devices_per_replica) + " " + r.vendor +
                        (r.device_model.empty() ? "" : " " + r.device_model) + " device(s) each" +
                        (why.empty() ? "" : ": " + why);
  call.audit_reason = "does_not_fit: " + message;
  return std::optional<Response>(Response::Json(409, DoesNotFitJson(message, fit.reasons)));
}

Result<Response> ListDeployments(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  std::vector<Deployment> list;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(VisibleService(tx, *call.who, id).status());
    HAI_ASSIGN_OR_RETURN(list, deployments::OfService(tx, id));
    return Status::Ok();
  }));
  nlohmann::json items = nlohmann::json::array();
  for (const Deployment& d : list) items.push_back(ToJson(d));
  return Response::Json(200, {{"items", items}, {"total", list.size()}});
}

Result<Response> CreateDeployment(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t service_id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(DeploymentRequest r, ParseDeploymentBody(call.req.body));
  call.summary = Describe(r);
  HAI_RETURN_IF_ERROR(CheckDeploymentRequest(r));
  if (!s->models) return Status::Unavailable("the model registry is not running");
  DeployTarget target;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(target, LoadTarget(tx, call, service_id));
    return Status::Ok();
  }));
  if (!target.model.available)
    return Status::FailedPrecondition("model '" + target.model.name +
                                      "' has no weights on this appliance any more");
  const std::string model_path = s->models->WeightsPath(target.model);
  HAI_RETURN_IF_ERROR(CheckEngine(s, r, target.model, model_path));
  HAI_ASSIGN_OR_RETURN(std::optional<Response> refused, RefuseUnlessFits(s, call, r, r.replicas));
  if (refused) return std::move(*refused);
  Deployment made;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(LoadTarget(tx, call, service_id).status());
    HAI_ASSIGN_OR_RETURN(made,
                         deployments::Insert(tx, service_id, r, model_path, s->clock->NowMs()));
    return Status::Ok();
  }));
  Kick(s);
  call.resource_id = std::to_string(made.id);
  call.summary = "service=" + target.service.name + " " + call.summary;
  return Response::Json(201, ToJson(made));
}

Result<Response> GetDeployment(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t service_id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "deployment_id"));
  Deployment d;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(VisibleService(tx, *call.who, service_id).status());
    HAI_ASSIGN_OR_RETURN(d, deployments::Get(tx, service_id, id));
    return Status::Ok();
  }));
  return Response::Json(200, ToJson(d));
}

Status CheckPatch(const DeploymentPatch& p) {
  if (p.replicas) HAI_RETURN_IF_ERROR(CheckReplicas(*p.replicas));
  if (p.weight) HAI_RETURN_IF_ERROR(CheckWeight(*p.weight));
  if (p.args) HAI_RETURN_IF_ERROR(engine_profile::CheckEngineArgs(*p.args));
  if (p.env) HAI_RETURN_IF_ERROR(engine_profile::CheckEngineEnv(*p.env));
  return Status::Ok();
}

Status NotBeingDeleted(const Deployment& d) {
  if (d.state != DeploymentState::kDeleting) return Status::Ok();
  return Status::FailedPrecondition("deployment " + std::to_string(d.id) +
                                    " is being deleted and takes no more changes");
}

// Replicas a change asks to place on top of those already running.
int64_t AddedReplicas(const Deployment& current, const DeploymentPatch& p) {
  const DeploymentState state = p.state.value_or(current.state);
  if (state != DeploymentState::kActive) return 0;
  return p.replicas.value_or(current.spec.replicas) - current.Desired();
}

Result<Response> UpdateDeployment(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t service_id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "deployment_id"));
  call.resource_id = std::to_string(id);
  HAI_ASSIGN_OR_RETURN(DeploymentPatch patch, ParseDeploymentPatch(call.req.body));
  call.summary = "changed: " + patch.FieldNames();
  HAI_RETURN_IF_ERROR(CheckPatch(patch));
  DeployTarget target;
  Deployment current;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(target, LoadTarget(tx, call, service_id));
    HAI_ASSIGN_OR_RETURN(current, deployments::Get(tx, service_id, id));
    return NotBeingDeleted(current);
  }));
  DeploymentRequest merged = current.spec;
  if (patch.args) merged.args = *patch.args;
  if (patch.env) merged.env = *patch.env;
  if (patch.RestartsEngine())
    HAI_RETURN_IF_ERROR(CheckEngine(s, merged, target.model, current.model_path));
  HAI_ASSIGN_OR_RETURN(std::optional<Response> refused,
                       RefuseUnlessFits(s, call, merged, AddedReplicas(current, patch)));
  if (refused) return std::move(*refused);
  Deployment changed;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(LoadTarget(tx, call, service_id).status());
    HAI_ASSIGN_OR_RETURN(Deployment now, deployments::Get(tx, service_id, id));
    HAI_RETURN_IF_ERROR(NotBeingDeleted(now));
    HAI_ASSIGN_OR_RETURN(changed, deployments::Apply(tx, now, patch, s->clock->NowMs()));
    return Status::Ok();
  }));
  Kick(s);
  call.summary = "service=" + target.service.name + " " + call.summary +
                 "; replicas=" + std::to_string(changed.spec.replicas) +
                 " state=" + std::string(DeploymentStateName(changed.state)) +
                 " generation=" + std::to_string(changed.generation);
  return Response::Json(200, ToJson(changed));
}

Result<Response> DeleteDeployment(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t service_id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "deployment_id"));
  call.resource_id = std::to_string(id);
  Deployment d;
  std::string service_name;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(ModelService service, VisibleService(tx, *call.who, service_id));
    call.org_id = service.org_id;
    service_name = service.name;
    HAI_RETURN_IF_ERROR(MayManage(*call.who, service));
    HAI_RETURN_IF_ERROR(deployments::Get(tx, service_id, id).status());
    HAI_RETURN_IF_ERROR(deployments::MarkDeleting(tx, id, s->clock->NowMs()));
    HAI_ASSIGN_OR_RETURN(d, deployments::Get(tx, service_id, id));
    return Status::Ok();
  }));
  Kick(s);
  call.summary = "service=" + service_name + "; replicas stopping, removed once they are gone";
  return Response::Json(202, ToJson(d));
}

}  // namespace

void AddServiceRoutes(Api* api, Services* s) {
  const std::string one = "/api/v1/services/{id}";
  const std::string deployment = one + "/deployments/{deployment_id}";
  api->Add({"GET", "/api/v1/services", Permission::kServiceRead, "", "",
            "List model services with their status: desired and ready replicas, online"},
           [s](Call& c) { return ListServices(s, c); });
  api->Add({"POST", "/api/v1/services", Permission::kServiceManage, "service.create", "service",
            "Create a model service (the name callers put in `model`) for a model with weights"},
           [s](Call& c) { return CreateService(s, c); });
  api->Add(
      {"GET", one, Permission::kServiceRead, "", "", "A service with its deployments and status"},
      [s](Call& c) { return GetService(s, c); });
  api->Add({"PATCH", one, Permission::kServiceManage, "service.update", "service",
            "Change a service's description or capabilities"},
           [s](Call& c) { return UpdateService(s, c); });
  api->Add({"DELETE", one, Permission::kServiceManage, "service.delete", "service",
            "Delete a service: its deployments stop, then it is removed"},
           [s](Call& c) { return DeleteService(s, c); });
  api->Add({"GET", one + "/deployments", Permission::kServiceRead, "", "",
            "A service's deployments with desired and ready replicas"},
           [s](Call& c) { return ListDeployments(s, c); });
  api->Add(
      {"POST", one + "/deployments", Permission::kServiceManage, "deployment.create", "deployment",
       "Deploy the service's model: engine, compute spec, replicas; refused with the "
       "scheduler's reasons when it cannot fit"},
      [s](Call& c) { return CreateDeployment(s, c); });
  api->Add({"GET", deployment, Permission::kServiceRead, "", "", "One deployment and its status"},
           [s](Call& c) { return GetDeployment(s, c); });
  api->Add({"PATCH", deployment, Permission::kServiceManage, "deployment.update", "deployment",
            "Scale, stop or start a deployment, or change its engine arguments or environment"},
           [s](Call& c) { return UpdateDeployment(s, c); });
  api->Add({"DELETE", deployment, Permission::kServiceManage, "deployment.delete", "deployment",
            "Delete a deployment: its replicas stop, then it is removed"},
           [s](Call& c) { return DeleteDeployment(s, c); });
}

}  // namespace hai::portal
