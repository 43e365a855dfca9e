#include "daemons/portal/api.h"

#include <algorithm>

#include "daemons/portal/api_key_store.h"
#include "daemons/portal/audit_log.h"
#include "daemons/portal/org_store.h"
#include "daemons/portal/user_store.h"
#include "lib/http/bearer.h"
#include "lib/log/log.h"

namespace hai::portal {
namespace {

constexpr std::string_view kOrgScoped = "/api/v1/orgs/{id}";

bool IsMutating(const std::string& method) { return method != "GET" && method != "HEAD"; }

using http::BearerToken;

std::optional<int64_t> ParamId(const http::Request& req, const std::string& name) {
  auto id = PathId(req, name);
  if (!id.ok()) return std::nullopt;
  return *id;
}

}  // namespace

std::optional<Role> Principal::RoleIn(int64_t org_id) const {
  for (const Membership& m : memberships)
    if (m.org_id == org_id) return m.role;
  return std::nullopt;
}

bool Principal::May(Permission p, int64_t org_id) const {
  if (IsAdmin()) return true;
  auto role = RoleIn(org_id);
  return role && RoleMay(*role, p);
}

std::vector<int64_t> Principal::OrgsWhere(Permission p) const {
  std::vector<int64_t> out;
  for (const Membership& m : memberships)
    if (RoleMay(m.role, p)) out.push_back(m.org_id);
  return out;
}

Result<Principal> LoadPrincipal(store::Database::Tx& tx, int64_t user_id) {
  Principal p;
  HAI_ASSIGN_OR_RETURN(p.user, users::Get(tx, user_id));
  HAI_ASSIGN_OR_RETURN(p.memberships, orgs::MembershipsOf(tx, user_id));
  return p;
}

void Api::Add(RouteSpec spec, ApiHandler handler) {
  if (IsMutating(spec.method) && spec.audited && spec.action.empty()) {
    log::Error("route has no audit action", {{"route", spec.method + " " + spec.pattern}});
    std::abort();  // a programming error: every change must be audited
  }
  specs_.push_back(spec);
  std::string method = spec.method, pattern = spec.pattern;
  router_.Add(std::move(method), std::move(pattern),
              [this, spec = std::move(spec), handler = std::move(handler)](http::Request& req) {
                return Run(spec, handler, req);
              });
}

Result<std::optional<Principal>> Api::Authenticate(const http::Request& req) {
  std::string token = BearerToken(req);
  if (token.empty()) token = req.Cookie("hai_session");
  if (token.empty()) return std::optional<Principal>();
  const int64_t now = services_->clock->NowMs();
  std::optional<Principal> principal;
  Status st = services_->db->Write([&](store::Database::Tx& tx) -> Status {
    if (token.rfind(api_keys::kSecretPrefix, 0) == 0) {
      HAI_ASSIGN_OR_RETURN(std::optional<ApiKey> key, api_keys::FindBySecret(tx, token));
      if (!key || key->StatusAt(now) != "active")
        return Status::Unauthenticated("API key is unknown, revoked or expired");
      if (std::find(key->scopes.begin(), key->scopes.end(), api_keys::kScopeManagement) ==
          key->scopes.end())
        return Status::PermissionDenied("this API key lacks the management scope");
      HAI_ASSIGN_OR_RETURN(Principal p, LoadPrincipal(tx, key->user_id));
      std::erase_if(p.memberships, [&](const Membership& m) { return m.org_id != key->org_id; });
      if (p.memberships.empty())
        return Status::Unauthenticated("the key's owner is no longer in its organisation");
      p.api_key_id = key->id;
      HAI_RETURN_IF_ERROR(api_keys::TouchLastUsed(tx, key->id, now));
      principal = std::move(p);
    } else {
      HAI_ASSIGN_OR_RETURN(std::optional<sessions::Session> session,
                           sessions::Resume(tx, token, now, services_->policy.session));
      if (!session) return Status::Unauthenticated("session expired or invalid; sign in again");
      HAI_ASSIGN_OR_RETURN(Principal p, LoadPrincipal(tx, session->user_id));
      p.session_id = session->id;
      principal = std::move(p);
    }
    if (principal->user.disabled) return Status::Unauthenticated("account is disabled");
    return Status::Ok();
  });
  // An expired session is deleted inside the transaction; keep that even
  // though the request itself fails.
  if (!st.ok()) return st;
  return principal;
}

Status Api::Authorize(const RouteSpec& spec, const http::Request& req, const Principal* who) {
  if (spec.permission == Permission::kPublic) return Status::Ok();
  if (spec.permission == Permission::kCluster) {
    if (http::BearerMatches(req, services_->cluster_token)) return Status::Ok();
    return Status::Unauthenticated("this route needs the cluster token");
  }
  if (!who) return Status::Unauthenticated("sign in first");
  if (spec.permission == Permission::kSelf || who->IsAdmin()) return Status::Ok();
  if (spec.self_allowed && ParamId(req, "id") == who->user.id) return Status::Ok();
  if (spec.pattern.rfind(kOrgScoped, 0) == 0) {
    auto org = ParamId(req, "id");
    if (!org || !who->RoleIn(*org))
      return Status::NotFound("organisation " + req.Param("id") + " not found");
    if (!who->May(spec.permission, *org))
      return Status::PermissionDenied("your role in this organisation does not allow " +
                                      std::string(PermissionName(spec.permission)));
    return Status::Ok();
  }
  if (who->OrgsWhere(spec.permission).empty())
    return Status::PermissionDenied("your role does not allow " +
                                    std::string(PermissionName(spec.permission)));
  return Status::Ok();
}

http::Response Api::Run(const RouteSpec& spec, const ApiHandler& handler, http::Request& req) {
  Call call{req, nullptr, {}, {}, {}, {}, {}, {}};
  Status error;
  http::Response res;
  std::optional<Principal> principal;
  if (spec.permission != Permission::kPublic && spec.permission != Permission::kCluster) {
    auto authn = Authenticate(req);
    if (authn.ok()) principal = std::move(*authn);
    else error = authn.status();
  }
  if (error.ok()) error = Authorize(spec, req, principal ? &*principal : nullptr);
  if (error.ok()) {
    call.who = principal ? &*principal : nullptr;
    try {
      Result<http::Response> r = handler(call);
      if (r.ok()) res = std::move(*r);
      else error = r.status();
    } catch (const std::exception& e) {
      log::Error("handler failed", {{"request_id", req.request_id}, {"route", spec.pattern},
                                    {"error", e.what()}});
      error = Status::Internal("internal error, request id " + req.request_id);
    }
  }
  if (!error.ok()) res = http::Response::Error(error);
  if (IsMutating(spec.method) && spec.audited) {
    if (!call.who && principal) call.who = &*principal;
    Audit(spec, call, res, error);
  }
  return res;
}

void Api::Audit(const RouteSpec& spec, const Call& call, const http::Response& res,
                const Status& error) {
  const http::Request& req = call.req;
  AuditEvent e;
  e.time = services_->clock->NowMs();
  if (call.who) {
    e.user_id = call.who->user.id;
    e.username = call.who->user.username;
  } else {
    e.user_id = call.user_id;
    e.username = call.username;
  }
  e.org_id = call.org_id;
  if (!e.org_id && spec.pattern.rfind(kOrgScoped, 0) == 0) e.org_id = ParamId(req, "id");
  e.action = spec.action;
  e.resource_type = spec.resource_type;
  e.resource_id = !call.resource_id.empty() ? call.resource_id : req.Param("id");
  e.outcome = res.status < 400 ? Outcome::kSuccess : Outcome::kFailure;
  if (!call.audit_reason.empty()) e.reason = call.audit_reason;
  else if (!error.ok()) e.reason = std::string(CodeName(error.code())) + ": " + error.message();
  e.summary = call.summary;
  e.client_ip = req.client_ip;
  e.user_agent = req.Header("user-agent");
  e.request_id = req.request_id;
  Status st = services_->db->Write([&](store::Database::Tx& tx) { return audit::Append(tx, e); });
  if (!st.ok()) {
    services_->audit_failures->Add({}, 1);
    log::Error("audit write failed", {{"request_id", req.request_id}, {"action", e.action},
                                      {"error", st.message()}});
  }
}

}  // namespace hai::portal
