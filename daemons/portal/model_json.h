#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "daemons/portal/model_card.h"
#include "daemons/portal/model_registry.h"
#include "daemons/portal/model_search.h"

namespace hai::portal {

// A model as the API shows it. `weights_path` is the absolute folder of its
// weights ("" without). `detail` adds the per-file checksums (the card view).
nlohmann::json ModelJson(const Model& model, const std::string& weights_path, bool detail);
nlohmann::json FacetsJson(const ModelFacets& facets);

// PATCH /api/v1/models/{id}: every field optional, unknown fields refused.
// Errors are 400s naming the field.
Result<ModelPatch> ParseModelPatch(const std::string& body);

// POST /api/v1/models/import with a JSON body: "path" (required), "name",
// "version" and any PATCH field.
struct ImportBody {
  std::string path;
  ImportRequest request;
};
Result<ImportBody> ParseImportBody(const std::string& body);

}  // namespace hai::portal
