// The model registry and plaza: /api/v1/models.
#include <algorithm>

#include "daemons/portal/json_views.h"
#include "daemons/portal/list_query.h"
#include "daemons/portal/model_json.h"
#include "daemons/portal/model_registry.h"
#include "daemons/portal/model_search.h"
#include "daemons/portal/routes.h"

namespace hai::portal {
namespace {

using http::Response;

Result<ModelRegistry*> Registry(Services* s) {
  if (!s->models) return Status::Unavailable("the model registry is not running");
  return s->models;
}

// Platform admins see every model; others the models shown to all or to one
// of their organisations (an API key: its own organisation only).
bool MaySee(const Principal& who, const Model& m) {
  if (who.IsAdmin() || m.visible_to_all) return true;
  for (const Membership& membership : who.memberships)
    if (std::find(m.visible_org_ids.begin(), m.visible_org_ids.end(), membership.org_id) !=
        m.visible_org_ids.end())
      return true;
  return false;
}

Status NotFound(int64_t id) {
  return Status::NotFound("model " + std::to_string(id) + " not found");
}

Result<Response> ListModels(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ModelRegistry * registry, Registry(s));
  HAI_ASSIGN_OR_RETURN(ModelQuery query, ParseModelQuery(call.req));
  HAI_ASSIGN_OR_RETURN(std::vector<Model> all, registry->List());
  std::erase_if(all, [&](const Model& m) { return !MaySee(*call.who, m); });
  ModelSearchResult found = SearchModels(all, query);
  nlohmann::json items = nlohmann::json::array();
  for (const Model* m : found.items)
    items.push_back(ModelJson(*m, registry->WeightsPath(*m), false));
  return Response::Json(
      200,
      {{"items", std::move(items)}, {"total", found.total}, {"facets", FacetsJson(found.facets)}});
}

Result<Response> GetModel(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ModelRegistry * registry, Registry(s));
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(Model m, registry->Get(id));
  if (!MaySee(*call.who, m)) return NotFound(id);
  return Response::Json(200, ModelJson(m, registry->WeightsPath(m), true));
}

bool IsTar(const http::Request& req) {
  std::string type = req.Header("content-type");
  type = type.substr(0, type.find(';'));
  return type == "application/x-tar" || type == "application/tar";
}

Result<Response> ImportModel(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ModelRegistry * registry, Registry(s));
  Result<Model> imported = Status::Internal("unreached");
  if (IsTar(call.req)) {
    for (const auto& [key, value] : call.req.query)
      if (key != "name" && key != "version")
        return Status::InvalidArgument(
            "unknown query parameter '" + key + "' (an archive import takes name and version)",
            key);
    ImportRequest request;
    request.name = call.req.Query("name").value_or("");
    request.version = call.req.Query("version").value_or("");
    call.summary = "archive of " + std::to_string(call.req.body.size()) + " bytes";
    imported = registry->ImportArchive(call.req.body, std::move(request));
  } else {
    HAI_ASSIGN_OR_RETURN(ImportBody body, ParseImportBody(call.req.body));
    call.summary = "path=" + body.path;
    imported = registry->ImportDirectory(body.path, std::move(body.request));
  }
  if (!imported.ok()) return imported.status();
  const Model& m = *imported;
  call.resource_id = std::to_string(m.id);
  call.summary = "name=" + m.name + " version=" + m.versions.back().version +
                 " files=" + std::to_string(m.artifact->files.size()) +
                 " bytes=" + std::to_string(m.artifact->total_bytes) + " from " + call.summary;
  return Response::Json(201, ModelJson(m, registry->WeightsPath(m), true));
}

Result<Response> UpdateModel(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ModelRegistry * registry, Registry(s));
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(ModelPatch patch, ParseModelPatch(call.req.body));
  call.summary = "changed: " + patch.FieldNames();
  HAI_ASSIGN_OR_RETURN(Model m, registry->Update(id, patch));
  call.summary = "name=" + m.name + " " + call.summary;
  return Response::Json(200, ModelJson(m, registry->WeightsPath(m), true));
}

Result<Response> DeleteModel(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ModelRegistry * registry, Registry(s));
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(Model before, registry->RemoveWeights(id));
  call.summary = "name=" + before.name + "; weights removed" +
                 (before.source == ModelSource::kImport ? "; entry removed" : "; card kept");
  return Response::NoContent();
}

}  // namespace

void AddModelRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/models", Permission::kModelRead, "", "",
            "List and search the models visible to the caller, with facet counts"},
           [s](Call& c) { return ListModels(s, c); });
  api->Add({"POST", "/api/v1/models/import", Permission::kModelManage, "model.import", "model",
            "Import a model from a folder on the control node or an uploaded tar archive"},
           [s](Call& c) { return ImportModel(s, c); });
  api->Add({"GET", "/api/v1/models/{id}", Permission::kModelRead, "", "",
            "A model's card, weights and checksums"},
           [s](Call& c) { return GetModel(s, c); });
  api->Add({"PATCH", "/api/v1/models/{id}", Permission::kModelManage, "model.update", "model",
            "Edit a model's card, evaluation results or visibility"},
           [s](Call& c) { return UpdateModel(s, c); });
  api->Add({"DELETE", "/api/v1/models/{id}", Permission::kModelManage, "model.delete", "model",
            "Remove a model's weights (refused while in use)"},
           [s](Call& c) { return DeleteModel(s, c); });
}

}  // namespace hai::portal
