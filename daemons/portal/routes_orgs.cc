#include "daemons/portal/api_key_store.h"
#include "daemons/portal/json_views.h"
#include "daemons/portal/org_store.h"
#include "daemons/portal/rate_limits.h"
#include "daemons/portal/routes.h"
#include "daemons/portal/user_store.h"
#include "lib/http/json_body.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

const std::map<std::string, std::string> kOrgSort = {
    {"name", "o.name"}, {"created_at", "o.created_at"}, {"id", "o.id"}};
const std::map<std::string, std::string> kMemberSort = {
    {"username", "u.username"}, {"role", "m.role"}, {"added_at", "m.added_at"}};

Result<Role> ReadRole(const std::string& text) {
  auto role = ParseRole(text);
  if (!role)
    return Status::InvalidArgument("role must be one of org_admin, developer, caller", "role");
  return *role;
}

Result<Response> ListOrgs(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ListWindow window, ParseListWindow(call.req, kOrgSort, "name"));
  orgs::Filter filter;
  filter.q = call.req.Query("q").value_or("");
  if (!call.who->IsAdmin()) {
    std::vector<int64_t> mine;
    for (const Membership& m : call.who->memberships) mine.push_back(m.org_id);
    filter.visible = mine;
  }
  Page<Org> page;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(page, orgs::List(tx, filter, window));
    return Status::Ok();
  }));
  return Response::Json(200, PageJson(page, [](const Org& o) { return ToJson(o); }));
}

Result<Response> CreateOrg(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  std::string name, description;
  body.Required("name", &name);
  body.Optional("description", &description);
  HAI_RETURN_IF_ERROR(body.Finish());
  HAI_RETURN_IF_ERROR(http::CheckText("name", name, 1, 64));
  HAI_RETURN_IF_ERROR(http::CheckText("description", description, 0, 1000));
  Org org;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(org, orgs::Insert(tx, name, description, s->clock->NowMs()));
    return Status::Ok();
  }));
  call.resource_id = std::to_string(org.id);
  call.org_id = org.id;
  call.summary = "name=" + name;
  return Response::Json(201, ToJson(org));
}

Result<Response> GetOrg(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  Org org;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(org, orgs::Get(tx, id));
    return Status::Ok();
  }));
  return Response::Json(200, ToJson(org));
}

Result<Response> UpdateOrg(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  std::optional<std::string> name, description;
  body.Optional("name", &name);
  body.Optional("description", &description);
  RateLimits limits;
  const bool new_limits = ReadLimits(body, &limits);
  HAI_RETURN_IF_ERROR(body.Finish());
  // An organisation's administrators must not lift their own organisation's cap.
  if (new_limits && !call.who->IsAdmin())
    return Status::PermissionDenied("only a platform administrator may change an organisation's "
                                    "rpm_limit and tpm_limit");
  if (name) HAI_RETURN_IF_ERROR(http::CheckText("name", *name, 1, 64));
  if (description) HAI_RETURN_IF_ERROR(http::CheckText("description", *description, 0, 1000));
  Org org;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(Org before, orgs::Get(tx, id));
    HAI_RETURN_IF_ERROR(orgs::Update(tx, id, name, description, s->clock->NowMs()));
    if (new_limits) {
      // Only the fields named change; the other keeps its value.
      RateLimits merged = before.limits;
      if (body.Has("rpm_limit")) merged.rpm = limits.rpm;
      if (body.Has("tpm_limit")) merged.tpm = limits.tpm;
      HAI_RETURN_IF_ERROR(CheckLimits(merged));
      HAI_RETURN_IF_ERROR(orgs::SetLimits(tx, id, merged, s->clock->NowMs()));
    }
    HAI_ASSIGN_OR_RETURN(org, orgs::Get(tx, id));
    if (name && *name != before.name) call.summary = "name: " + before.name + " -> " + *name;
    if (description) call.summary += std::string(call.summary.empty() ? "" : "; ") + "description changed";
    if (new_limits)
      call.summary += std::string(call.summary.empty() ? "" : "; ") + "limits " +
                      LimitsJson(before.limits).dump() + " -> " + LimitsJson(org.limits).dump();
    return Status::Ok();
  }));
  return Response::Json(200, ToJson(org));
}

Result<Response> DeleteOrg(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(Org org, orgs::Get(tx, id));
    call.summary = "name=" + org.name;
    return orgs::Delete(tx, id);
  }));
  return Response::NoContent();
}

Result<Response> ListMembers(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(ListWindow window, ParseListWindow(call.req, kMemberSort, "username"));
  Page<Member> page;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(orgs::Get(tx, id).status());
    HAI_ASSIGN_OR_RETURN(page, orgs::Members(tx, id, window));
    return Status::Ok();
  }));
  return Response::Json(200, PageJson(page, [](const Member& m) { return ToJson(m); }));
}

Result<Response> AddMember(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  int64_t user_id = 0;
  std::string role_text;
  body.Required("user_id", &user_id);
  body.Required("role", &role_text);
  HAI_RETURN_IF_ERROR(body.Finish());
  HAI_ASSIGN_OR_RETURN(Role role, ReadRole(role_text));
  call.resource_id = std::to_string(user_id);
  call.summary = "user_id=" + std::to_string(user_id) + " role=" + role_text;
  Member added;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(orgs::Get(tx, id).status());
    auto user = users::Get(tx, user_id);
    if (!user.ok()) return Status::InvalidArgument("user " + std::to_string(user_id) +
                                                   " does not exist", "user_id");
    HAI_RETURN_IF_ERROR(orgs::AddMember(tx, id, user_id, role, s->clock->NowMs()));
    HAI_ASSIGN_OR_RETURN(added, orgs::GetMember(tx, id, user_id));
    return Status::Ok();
  }));
  return Response::Json(201, ToJson(added));
}

Result<Response> UpdateMember(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(int64_t user_id, PathId(call.req, "user_id"));
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  std::string role_text;
  body.Required("role", &role_text);
  HAI_RETURN_IF_ERROR(body.Finish());
  HAI_ASSIGN_OR_RETURN(Role role, ReadRole(role_text));
  call.resource_id = std::to_string(user_id);
  call.summary = "role=" + role_text;
  HAI_RETURN_IF_ERROR(s->db->Write(
      [&](Database::Tx& tx) { return orgs::SetRole(tx, id, user_id, role); }));
  return Response::Json(200, {{"org_id", id}, {"user_id", user_id}, {"role", role_text}});
}

Result<Response> RemoveMember(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(int64_t user_id, PathId(call.req, "user_id"));
  call.resource_id = std::to_string(user_id);
  call.summary = "user_id=" + std::to_string(user_id) + "; the member's keys in this org revoked";
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(orgs::RemoveMember(tx, id, user_id));
    return api_keys::RevokeForMember(tx, id, user_id, s->clock->NowMs());
  }));
  return Response::NoContent();
}

}  // namespace

void AddOrgRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/orgs", Permission::kOrgList, "", "",
            "List organisations (members see their own)"},
           [s](Call& c) { return ListOrgs(s, c); });
  api->Add({"POST", "/api/v1/orgs", Permission::kOrgCreate, "org.create", "org",
            "Create an organisation"},
           [s](Call& c) { return CreateOrg(s, c); });
  api->Add({"GET", "/api/v1/orgs/{id}", Permission::kOrgRead, "", "", "Get an organisation"},
           [s](Call& c) { return GetOrg(s, c); });
  api->Add({"PATCH", "/api/v1/orgs/{id}", Permission::kOrgUpdate, "org.update", "org",
            "Rename or re-describe an organisation"},
           [s](Call& c) { return UpdateOrg(s, c); });
  api->Add({"DELETE", "/api/v1/orgs/{id}", Permission::kOrgDelete, "org.delete", "org",
            "Delete an organisation with no members and no keys"},
           [s](Call& c) { return DeleteOrg(s, c); });
  api->Add({"GET", "/api/v1/orgs/{id}/members", Permission::kOrgRead, "", "",
            "List an organisation's members"},
           [s](Call& c) { return ListMembers(s, c); });
  api->Add({"POST", "/api/v1/orgs/{id}/members", Permission::kOrgMembersManage,
            "org.member_add", "membership", "Add a user to an organisation with a role"},
           [s](Call& c) { return AddMember(s, c); });
  api->Add({"PATCH", "/api/v1/orgs/{id}/members/{user_id}", Permission::kOrgMembersManage,
            "org.member_update", "membership", "Change a member's role"},
           [s](Call& c) { return UpdateMember(s, c); });
  api->Add({"DELETE", "/api/v1/orgs/{id}/members/{user_id}", Permission::kOrgMembersManage,
            "org.member_remove", "membership",
            "Remove a member (their keys in the organisation are revoked)"},
           [s](Call& c) { return RemoveMember(s, c); });
}

}  // namespace hai::portal
