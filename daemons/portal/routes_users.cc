#include <algorithm>

#include "daemons/portal/json_views.h"
#include "daemons/portal/org_store.h"
#include "daemons/portal/routes.h"
#include "daemons/portal/user_store.h"
#include "lib/http/json_body.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

const std::map<std::string, std::string> kUserSort = {{"username", "username"},
                                                      {"created_at", "created_at"},
                                                      {"last_login_at", "last_login_at"},
                                                      {"id", "id"}};

Status CheckUsername(const std::string& name) {
  HAI_RETURN_IF_ERROR(http::CheckText("username", name, 3, 64));
  bool ok = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
           c == '@';
  });
  if (!ok)
    return Status::InvalidArgument("username may hold only letters, digits and . _ - @",
                                   "username");
  return Status::Ok();
}

Status CheckEmail(const std::string& email) {
  HAI_RETURN_IF_ERROR(http::CheckText("email", email, 0, 254));
  if (!email.empty() && (email.find('@') == std::string::npos || email.find(' ') != std::string::npos))
    return Status::InvalidArgument("email is not an address", "email");
  return Status::Ok();
}

// Whether the caller may see user `id`: admins all, anyone themself, org
// admins the members of their organisations. Others get a 404, not a 403.
Status CheckVisible(Database::Tx& tx, const Principal& who, int64_t id) {
  if (who.IsAdmin() || who.user.id == id) return Status::Ok();
  HAI_ASSIGN_OR_RETURN(std::vector<Membership> theirs, orgs::MembershipsOf(tx, id));
  for (const Membership& m : theirs)
    if (who.May(Permission::kUserRead, m.org_id)) return Status::Ok();
  return Status::NotFound("user " + std::to_string(id) + " not found");
}

Status KeepAnAdmin(Database::Tx& tx, const User& target) {
  if (!target.is_admin || target.disabled) return Status::Ok();
  HAI_ASSIGN_OR_RETURN(int64_t admins, users::CountActiveAdmins(tx));
  if (admins <= 1)
    return Status::FailedPrecondition("this is the last active platform administrator");
  return Status::Ok();
}

Result<Response> ListUsers(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ListWindow window, ParseListWindow(call.req, kUserSort, "username"));
  users::Filter filter;
  filter.q = call.req.Query("q").value_or("");
  HAI_ASSIGN_OR_RETURN(filter.org_id, QueryInt(call.req, "org_id"));
  if (!call.who->IsAdmin()) filter.visible_orgs = call.who->OrgsWhere(Permission::kUserList);
  Page<User> page;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(page, users::List(tx, filter, window));
    return Status::Ok();
  }));
  return Response::Json(200, PageJson(page, [](const User& u) { return ToJson(u); }));
}

Result<Response> CreateUser(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  users::NewUser nu;
  std::string password, role_text = "caller";
  std::optional<int64_t> org_id;
  body.Required("username", &nu.username);
  body.Required("password", &password);
  body.Optional("display_name", &nu.display_name);
  body.Optional("email", &nu.email);
  body.Optional("is_admin", &nu.is_admin);
  body.Optional("org_id", &org_id);
  body.Optional("role", &role_text);
  HAI_RETURN_IF_ERROR(body.Finish());
  HAI_RETURN_IF_ERROR(CheckUsername(nu.username));
  HAI_RETURN_IF_ERROR(http::CheckText("display_name", nu.display_name, 0, 128));
  HAI_RETURN_IF_ERROR(CheckEmail(nu.email));
  HAI_RETURN_IF_ERROR(CheckPasswordPolicy(password, nu.username, s->policy.password_min_length));
  auto role = ParseRole(role_text);
  if (!role) return Status::InvalidArgument("role must be one of org_admin, developer, caller", "role");
  if (body.Has("role") && !org_id)
    return Status::InvalidArgument("a role needs an org_id to apply to", "org_id");
  const Principal& who = *call.who;
  if (!who.IsAdmin()) {
    if (nu.is_admin) return Status::PermissionDenied("only platform admins create platform admins");
    if (!org_id)
      return Status::InvalidArgument("org_id is required: new users join your organisation",
                                     "org_id");
    if (!who.May(Permission::kUserCreate, *org_id))
      return Status::PermissionDenied("you do not administer organisation " +
                                      std::to_string(*org_id));
  }
  HAI_ASSIGN_OR_RETURN(nu.password_hash, HashPassword(password, s->policy.password_cost));
  User user;
  const int64_t now = s->clock->NowMs();
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    if (org_id && !orgs::Get(tx, *org_id).ok())
      return Status::InvalidArgument("organisation " + std::to_string(*org_id) + " does not exist",
                                     "org_id");
    HAI_ASSIGN_OR_RETURN(user, users::Insert(tx, nu, now));
    if (org_id) HAI_RETURN_IF_ERROR(orgs::AddMember(tx, *org_id, user.id, *role, now));
    return Status::Ok();
  }));
  call.resource_id = std::to_string(user.id);
  call.org_id = org_id;
  call.summary = "username=" + nu.username + (nu.is_admin ? " is_admin=true" : "") +
                 (org_id ? " org_id=" + std::to_string(*org_id) + " role=" + role_text : "");
  return Response::Json(201, ToJson(user));
}

Result<Response> GetUser(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  User user;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(CheckVisible(tx, *call.who, id));
    HAI_ASSIGN_OR_RETURN(user, users::Get(tx, id));
    return Status::Ok();
  }));
  return Response::Json(200, ToJson(user));
}

Result<Response> UpdateUser(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  users::Patch patch;
  body.Optional("display_name", &patch.display_name);
  body.Optional("email", &patch.email);
  body.Optional("disabled", &patch.disabled);
  body.Optional("is_admin", &patch.is_admin);
  HAI_RETURN_IF_ERROR(body.Finish());
  if (patch.display_name) HAI_RETURN_IF_ERROR(http::CheckText("display_name", *patch.display_name, 0, 128));
  if (patch.email) HAI_RETURN_IF_ERROR(CheckEmail(*patch.email));
  const Principal& who = *call.who;
  if (!who.IsAdmin() && (patch.disabled || patch.is_admin))
    return Status::PermissionDenied("only platform admins change disabled or is_admin");
  if (who.user.id == id && patch.disabled == true)
    return Status::FailedPrecondition("you cannot disable your own account");
  User user;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(User before, users::Get(tx, id));
    if (patch.disabled == true || patch.is_admin == false) HAI_RETURN_IF_ERROR(KeepAnAdmin(tx, before));
    HAI_RETURN_IF_ERROR(users::Update(tx, id, patch, s->clock->NowMs()));
    if (patch.disabled == true) HAI_RETURN_IF_ERROR(sessions::DeleteForUser(tx, id));
    HAI_ASSIGN_OR_RETURN(user, users::Get(tx, id));
    return Status::Ok();
  }));
  std::string summary;
  if (patch.display_name) summary += "display_name; ";
  if (patch.email) summary += "email; ";
  if (patch.disabled) summary += std::string("disabled=") + (*patch.disabled ? "true" : "false") + "; ";
  if (patch.is_admin) summary += std::string("is_admin=") + (*patch.is_admin ? "true" : "false") + "; ";
  call.summary = summary.empty() ? "no change" : "changed " + summary.substr(0, summary.size() - 2);
  return Response::Json(200, ToJson(user));
}

Result<Response> DeleteUser(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  if (id == call.who->user.id) return Status::FailedPrecondition("you cannot delete yourself");
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(User user, users::Get(tx, id));
    HAI_RETURN_IF_ERROR(KeepAnAdmin(tx, user));
    call.summary = "username=" + user.username;
    return users::Delete(tx, id);
  }));
  return Response::NoContent();
}

Result<Response> ResetPassword(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  std::string password;
  body.Required("new_password", &password);
  HAI_RETURN_IF_ERROR(body.Finish());
  User user;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(user, users::Get(tx, id));
    return Status::Ok();
  }));
  Status policy = CheckPasswordPolicy(password, user.username, s->policy.password_min_length);
  if (!policy.ok()) return Status::InvalidArgument(policy.message(), "new_password");
  HAI_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, s->policy.password_cost));
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(users::SetPassword(tx, id, hash, s->clock->NowMs()));
    return sessions::DeleteForUser(tx, id);
  }));
  call.summary = "password reset by administrator; sessions ended";
  return Response::NoContent();
}

Result<Response> UnlockUser(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) { return users::Unlock(tx, id); }));
  return Response::NoContent();
}

}  // namespace

void AddUserRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/users", Permission::kUserList, "", "",
            "List users (org admins see their members)"},
           [s](Call& c) { return ListUsers(s, c); });
  api->Add({"POST", "/api/v1/users", Permission::kUserCreate, "user.create", "user",
            "Create a user, optionally placed into an organisation with a role"},
           [s](Call& c) { return CreateUser(s, c); });
  api->Add({"GET", "/api/v1/users/{id}", Permission::kUserRead, "", "", "Get a user", true},
           [s](Call& c) { return GetUser(s, c); });
  api->Add({"PATCH", "/api/v1/users/{id}", Permission::kUserUpdate, "user.update", "user",
            "Update a user (self: display name and email)", true},
           [s](Call& c) { return UpdateUser(s, c); });
  api->Add({"DELETE", "/api/v1/users/{id}", Permission::kUserDelete, "user.delete", "user",
            "Delete a user"},
           [s](Call& c) { return DeleteUser(s, c); });
  api->Add({"POST", "/api/v1/users/{id}/password", Permission::kUserCredentials,
            "user.password_reset", "user", "Set a new password for a user (admin reset)"},
           [s](Call& c) { return ResetPassword(s, c); });
  api->Add({"POST", "/api/v1/users/{id}/unlock", Permission::kUserCredentials, "user.unlock",
            "user", "Clear a sign-in lockout"},
           [s](Call& c) { return UnlockUser(s, c); });
}

}  // namespace hai::portal
