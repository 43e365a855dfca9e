#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemons/portal/api_key_store.h"
#include "daemons/portal/rate_limits.h"
#include "daemons/portal/routes.h"
#include "lib/base/time_format.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

// The gateway asks here whether a presented key may serve; it caches answers
// so serving continues while the control plane is away.
Result<Response> ValidateKey(Services* s, Call& call) {
  std::string secret = call.req.Header("x-api-key");
  if (secret.empty()) return Status::InvalidArgument("X-Api-Key header is required", "X-Api-Key");
  const int64_t now = s->clock->NowMs();
  std::optional<ApiKey> key;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(key, api_keys::FindBySecret(tx, secret));
    if (key && key->StatusAt(now) == "active") return api_keys::TouchLastUsed(tx, key->id, now);
    return Status::Ok();
  }));
  if (!key) return Response::Json(200, {{"valid", false}, {"reason", "unknown"}});
  std::string state = key->StatusAt(now);
  nlohmann::json out = {{"valid", state == "active"},
                        {"reason", state == "active" ? "" : state},
                        {"key_id", key->id},
                        {"org_id", key->org_id},
                        {"user_id", key->user_id},
                        {"scopes", key->scopes},
                        {"allowed_services", key->allowed_services
                                                 ? nlohmann::json(*key->allowed_services)
                                                 : nlohmann::json(nullptr)},
                        {"expires_at", key->expires_at ? nlohmann::json(FormatIso8601(*key->expires_at))
                                                       : nlohmann::json(nullptr)},
                        {"key_prefix", key->prefix},
                        {"limits", {{"key", LimitsJson(key->limits)},
                                    {"org", LimitsJson(key->org_limits)}}}};
  return Response::Json(200, out);
}

}  // namespace

void AddInternalRoutes(Api* api, Services* s) {
  api->Add({"GET", "/internal/v1/api-keys/validate", Permission::kCluster, "", "",
            "For the gateway: validate an API key given in X-Api-Key (cluster token)"},
           [s](Call& c) { return ValidateKey(s, c); });
}

void AddDocsRoutes(Api* api, const std::string& openapi_path) {
  std::ifstream in(openapi_path);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  std::string doc = text.str();
  api->Add({"GET", "/api/v1/openapi.json", Permission::kPublic, "", "",
            "This API's OpenAPI 3 document"},
           [doc, openapi_path](Call&) -> Result<Response> {
             if (doc.empty())
               return Status::Unavailable("API document not installed at " + openapi_path);
             return Response::Text(200, doc, "application/json");
           });
}

}  // namespace hai::portal
