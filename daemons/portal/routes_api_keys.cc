#include <algorithm>

#include "daemons/portal/api_key_store.h"
#include "daemons/portal/json_views.h"
#include "daemons/portal/rate_limits.h"
#include "daemons/portal/routes.h"
#include "lib/base/time_format.h"
#include "lib/http/json_body.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

const std::map<std::string, std::string> kKeySort = {
    {"created_at", "k.created_at"}, {"name", "k.name"}, {"last_used_at", "k.last_used_at"},
    {"id", "k.id"}};

std::vector<int64_t> OrgsAdministered(const Principal& who) {
  std::vector<int64_t> out;
  for (const Membership& m : who.memberships)
    if (m.role == Role::kOrgAdmin) out.push_back(m.org_id);
  return out;
}

bool MayManageKey(const Principal& who, const ApiKey& key) {
  if (who.IsAdmin() || key.user_id == who.user.id) return true;
  return who.RoleIn(key.org_id) == Role::kOrgAdmin;
}

Status CheckScopes(const std::vector<std::string>& scopes) {
  if (scopes.empty()) return Status::InvalidArgument("scopes must name at least one scope", "scopes");
  for (const std::string& scope : scopes)
    if (scope != api_keys::kScopeInference && scope != api_keys::kScopeManagement)
      return Status::InvalidArgument("scope '" + scope + "' is not one of inference, management",
                                     "scopes");
  return Status::Ok();
}

Status CheckServices(const std::vector<std::string>& services) {
  if (services.size() > 100)
    return Status::InvalidArgument("allowed_services holds at most 100 names", "allowed_services");
  for (const std::string& name : services) {
    Status st = http::CheckText("allowed_services", name, 1, 128);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Result<Response> ListKeys(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ListWindow window, ParseListWindow(call.req, kKeySort, "-created_at"));
  api_keys::Filter filter;
  HAI_ASSIGN_OR_RETURN(filter.org_id, QueryInt(call.req, "org_id"));
  HAI_ASSIGN_OR_RETURN(filter.user_id, QueryInt(call.req, "user_id"));
  filter.status = call.req.Query("status");
  if (filter.status && filter.status->empty()) filter.status.reset();
  if (filter.status && *filter.status != "active" && *filter.status != "revoked" &&
      *filter.status != "expired")
    return Status::InvalidArgument("status must be one of active, revoked, expired", "status");
  if (!call.who->IsAdmin())
    filter.visible_to = std::make_pair(call.who->user.id, OrgsAdministered(*call.who));
  const int64_t now = s->clock->NowMs();
  Page<ApiKey> page;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(page, api_keys::List(tx, filter, window, now));
    return Status::Ok();
  }));
  return Response::Json(200, PageJson(page, [now](const ApiKey& k) { return ToJson(k, now); }));
}

Result<Response> CreateKey(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  api_keys::NewKey nk;
  std::optional<std::string> expires;
  body.Required("org_id", &nk.org_id);
  body.Required("name", &nk.name);
  body.Required("scopes", &nk.scopes);
  body.Optional("expires_at", &expires);
  body.Optional("allowed_services", &nk.allowed_services);
  ReadLimits(body, &nk.limits);
  HAI_RETURN_IF_ERROR(body.Finish());
  HAI_RETURN_IF_ERROR(CheckLimits(nk.limits));
  HAI_RETURN_IF_ERROR(http::CheckText("name", nk.name, 1, 64));
  HAI_RETURN_IF_ERROR(CheckScopes(nk.scopes));
  std::sort(nk.scopes.begin(), nk.scopes.end());
  nk.scopes.erase(std::unique(nk.scopes.begin(), nk.scopes.end()), nk.scopes.end());
  if (nk.allowed_services) HAI_RETURN_IF_ERROR(CheckServices(*nk.allowed_services));
  const int64_t now = s->clock->NowMs();
  if (expires) {
    auto t = ParseTime(*expires);
    if (!t) return Status::InvalidArgument("expires_at is not an ISO-8601 time", "expires_at");
    if (*t <= now) return Status::InvalidArgument("expires_at is in the past", "expires_at");
    nk.expires_at = *t;
  }
  const Principal& who = *call.who;
  call.org_id = nk.org_id;
  auto role = who.RoleIn(nk.org_id);
  if (!role) {
    if (who.IsAdmin())
      return Status::InvalidArgument("join organisation " + std::to_string(nk.org_id) +
                                     " before making keys in it", "org_id");
    return Status::NotFound("organisation " + std::to_string(nk.org_id) + " not found");
  }
  bool wants_management = std::count(nk.scopes.begin(), nk.scopes.end(),
                                     api_keys::kScopeManagement) > 0;
  if (*role == Role::kCaller && wants_management && !who.IsAdmin())
    return Status::PermissionDenied("API callers may make inference keys only");
  nk.user_id = who.user.id;
  std::pair<ApiKey, std::string> made;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(made, api_keys::Create(tx, nk, now));
    return Status::Ok();
  }));
  call.resource_id = std::to_string(made.first.id);
  std::string scopes;
  for (const std::string& sc : nk.scopes) scopes += (scopes.empty() ? "" : ",") + sc;
  call.summary = "name=" + nk.name + " prefix=" + made.first.prefix + " scopes=" + scopes;
  nlohmann::json out = ToJson(made.first, now);
  out["key"] = made.second;
  Response res = Response::Json(201, out);
  res.AddHeader("Cache-Control", "no-store");
  return res;
}

Result<Response> RevokeKey(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(ApiKey key, api_keys::Get(tx, id));
    if (!MayManageKey(*call.who, key))
      return Status::NotFound("API key " + std::to_string(id) + " not found");
    call.org_id = key.org_id;
    call.summary = "name=" + key.name + " prefix=" + key.prefix;
    return api_keys::Revoke(tx, id, s->clock->NowMs());
  }));
  return Response::NoContent();
}

// A key's owner may cap it when making it; raising or lifting a cap later is
// for whoever administers the organisation, or the cap would mean nothing.
Result<Response> UpdateKeyLimits(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  const int64_t now = s->clock->NowMs();
  ApiKey key;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(key, api_keys::Get(tx, id));
    if (!MayManageKey(*call.who, key))
      return Status::NotFound("API key " + std::to_string(id) + " not found");
    call.org_id = key.org_id;
    if (!call.who->IsAdmin() && call.who->RoleIn(key.org_id) != Role::kOrgAdmin)
      return Status::PermissionDenied(
          "only an administrator of the key's organisation may change its limits");
    RateLimits limits = key.limits;
    if (!ReadLimits(body, &limits))
      return Status::InvalidArgument("name rpm_limit or tpm_limit to change", "rpm_limit");
    HAI_RETURN_IF_ERROR(body.Finish());
    HAI_RETURN_IF_ERROR(CheckLimits(limits));
    HAI_RETURN_IF_ERROR(api_keys::SetLimits(tx, id, limits));
    call.summary = "prefix=" + key.prefix + " limits " + LimitsJson(key.limits).dump() + " -> " +
                   LimitsJson(limits).dump();
    HAI_ASSIGN_OR_RETURN(key, api_keys::Get(tx, id));
    return Status::Ok();
  }));
  return Response::Json(200, ToJson(key, now));
}

}  // namespace

void AddApiKeyRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/api-keys", Permission::kApiKeyList, "", "",
            "List API keys (own keys; org admins: the organisation's)"},
           [s](Call& c) { return ListKeys(s, c); });
  api->Add({"POST", "/api/v1/api-keys", Permission::kApiKeyCreate, "api_key.create", "api_key",
            "Create an API key; the secret is returned once"},
           [s](Call& c) { return CreateKey(s, c); });
  api->Add({"DELETE", "/api/v1/api-keys/{id}", Permission::kApiKeyRevoke, "api_key.revoke",
            "api_key", "Revoke an API key"},
           [s](Call& c) { return RevokeKey(s, c); });
  api->Add({"PATCH", "/api/v1/api-keys/{id}", Permission::kApiKeyRevoke, "api_key.update",
            "api_key",
            "Change an API key's rpm_limit / tpm_limit (organisation administrators)"},
           [s](Call& c) { return UpdateKeyLimits(s, c); });
}

}  // namespace hai::portal
