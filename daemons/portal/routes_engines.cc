// The engine profiles deployments may name (portal.engine_profiles_dir), for
// the deploy form: which engines serve a category and run on which vendors.
#include <nlohmann/json.hpp>

#include "daemons/portal/routes.h"
#include "lib/accel/device.h"
#include "lib/engine_profile/engine_profile.h"

namespace hai::portal {
namespace {

nlohmann::json ToJson(const engine_profile::EngineProfile& p) {
  nlohmann::json categories = nlohmann::json::array();
  for (engine_profile::Category c : p.categories)
    categories.push_back(std::string(engine_profile::CategoryName(c)));
  nlohmann::json vendors = nlohmann::json::array();
  for (accel::Vendor v : p.vendors) vendors.push_back(std::string(accel::VendorName(v)));
  nlohmann::json params = nlohmann::json::array();
  for (const auto& [name, spec] : p.params)
    params.push_back({{"name", name}, {"description", spec.description}});
  return {{"name", p.name},
          {"display_name", p.display_name},
          {"description", p.description},
          {"categories", categories},
          {"vendors", vendors},
          {"runs_on_simulated_devices", p.runs_on_simulated_devices},
          {"params", params}};
}

}  // namespace

void AddEngineRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/engines", Permission::kModelRead, "", "",
            "The engine profiles a deployment may name: categories served, vendors, parameters"},
           [s](Call&) -> Result<http::Response> {
             nlohmann::json items = nlohmann::json::array();
             if (s->engines)
               for (const engine_profile::EngineProfile& p : *s->engines) items.push_back(ToJson(p));
             return http::Response::Json(200, {{"items", items}, {"total", items.size()}});
           });
}

}  // namespace hai::portal
