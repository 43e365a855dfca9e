#include <filesystem>

#include "daemons/portal/json_views.h"
#include "daemons/portal/org_store.h"
#include "daemons/portal/routes.h"
#include "daemons/portal/user_store.h"
#include "lib/base/random.h"
#include "lib/base/time_format.h"
#include "lib/http/json_body.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

// Verifying against a fixed hash for unknown users keeps the answer time
// from telling which usernames exist.
const std::string& DummyHash(const PasswordCost& cost) {
  static const std::string hash = HashPassword(RandomToken(16), cost).value();
  return hash;
}

std::string SessionCookie(const std::string& token, int64_t max_age_s, bool secure) {
  return "hai_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age_s) + (secure ? "; Secure" : "");
}

Result<Response> Login(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  std::string username, password;
  body.Required("username", &username);
  body.Required("password", &password);
  HAI_RETURN_IF_ERROR(body.Finish());
  HAI_RETURN_IF_ERROR(http::CheckText("username", username, 1, 64));
  call.username = username;
  const Status bad = Status::Unauthenticated("wrong username or password");

  std::optional<std::pair<User, std::string>> found;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(found, users::FindForLogin(tx, username));
    return Status::Ok();
  }));
  if (!found) {
    VerifyPassword(password, DummyHash(s->policy.password_cost));
    call.audit_reason = "unknown user";
    s->logins->Add({{"outcome", "failure"}}, 1);
    return bad;
  }
  User& user = found->first;
  call.user_id = user.id;
  call.username = user.username;
  const int64_t now = s->clock->NowMs();
  if (user.locked_until && *user.locked_until > now) {
    call.audit_reason = "account locked";
    s->logins->Add({{"outcome", "locked"}}, 1);
    return Status(Code::kAccountLocked,
                  "account is locked after repeated failed sign-ins until " +
                      FormatIso8601(*user.locked_until) + "; an administrator can unlock it");
  }
  if (!VerifyPassword(password, found->second)) {
    std::optional<int64_t> locked;
    HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(locked, users::RecordLoginFailure(tx, user.id,
                                                             s->policy.lockout_failures, now,
                                                             now + s->policy.lockout_ms));
      return Status::Ok();
    }));
    call.audit_reason = locked ? "wrong password; account locked" : "wrong password";
    s->logins->Add({{"outcome", "failure"}}, 1);
    return bad;
  }
  if (user.disabled) {
    call.audit_reason = "account disabled";
    s->logins->Add({{"outcome", "failure"}}, 1);
    return Status::Unauthenticated("account is disabled; ask an administrator");
  }
  std::string token = RandomToken(32);
  sessions::Session session;
  std::vector<Membership> memberships;
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(users::RecordLoginSuccess(tx, user.id, now));
    HAI_RETURN_IF_ERROR(sessions::Create(tx, token, user.id, now, s->policy.session,
                                         call.req.client_ip, call.req.Header("user-agent"),
                                         &session));
    HAI_ASSIGN_OR_RETURN(user, users::Get(tx, user.id));
    HAI_ASSIGN_OR_RETURN(memberships, orgs::MembershipsOf(tx, user.id));
    return Status::Ok();
  }));
  s->logins->Add({{"outcome", "success"}}, 1);
  call.resource_id = std::to_string(user.id);
  nlohmann::json ms = nlohmann::json::array();
  for (const Membership& m : memberships) ms.push_back(ToJson(m));
  Response res = Response::Json(200, {{"token", token},
                                      {"expires_at", FormatIso8601(session.expires_at)},
                                      {"user", ToJson(user)},
                                      {"memberships", ms}});
  res.AddHeader("Set-Cookie", SessionCookie(token, s->policy.session.absolute_ms / 1000,
                                            s->policy.secure_cookies));
  res.AddHeader("Cache-Control", "no-store");
  return res;
}

Result<Response> Logout(Services* s, Call& call) {
  if (call.who->session_id) {
    HAI_RETURN_IF_ERROR(s->db->Write(
        [&](Database::Tx& tx) { return sessions::Delete(tx, *call.who->session_id); }));
  }
  call.resource_id = std::to_string(call.who->user.id);
  Response res = Response::NoContent();
  res.AddHeader("Set-Cookie", SessionCookie("", 0, s->policy.secure_cookies));
  return res;
}

Result<Response> Me(Call& call) {
  nlohmann::json ms = nlohmann::json::array();
  for (const Membership& m : call.who->memberships) ms.push_back(ToJson(m));
  return Response::Json(200, {{"user", ToJson(call.who->user)},
                              {"memberships", ms},
                              {"via", call.who->api_key_id ? "api_key" : "session"}});
}

Result<Response> ChangePassword(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(call.req.body));
  std::string old_password, new_password;
  body.Required("old_password", &old_password);
  body.Required("new_password", &new_password);
  HAI_RETURN_IF_ERROR(body.Finish());
  const User& user = call.who->user;
  call.resource_id = std::to_string(user.id);
  std::string current;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(current, users::PasswordHash(tx, user.id));
    return Status::Ok();
  }));
  if (!VerifyPassword(old_password, current))
    return Status::InvalidArgument("the current password is wrong", "old_password");
  Status policy = CheckPasswordPolicy(new_password, user.username, s->policy.password_min_length);
  if (!policy.ok()) return Status::InvalidArgument(policy.message(), "new_password");
  if (new_password == old_password)
    return Status::InvalidArgument("the new password must differ from the current one",
                                   "new_password");
  HAI_ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password, s->policy.password_cost));
  const int64_t now = s->clock->NowMs();
  HAI_RETURN_IF_ERROR(s->db->Write([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(users::SetPassword(tx, user.id, hash, now));
    // Other sessions of this user end; the one that changed it stays.
    HAI_ASSIGN_OR_RETURN(store::Statement st,
                         tx.Prepare("DELETE FROM sessions WHERE user_id = ? AND id != ?"));
    return st.Bind(1, user.id).Bind(2, call.who->session_id.value_or(0)).Run();
  }));
  if (user.username == "admin" && !s->initial_password_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(s->initial_password_file, ec);
  }
  call.summary = "password changed";
  return Response::NoContent();
}

}  // namespace

void AddAuthRoutes(Api* api, Services* s) {
  api->Add({"POST", "/api/v1/auth/login", Permission::kPublic, "auth.login", "user",
            "Sign in with username and password; returns a bearer token and sets a session cookie"},
           [s](Call& c) { return Login(s, c); });
  api->Add({"POST", "/api/v1/auth/logout", Permission::kSelf, "auth.logout", "user",
            "End the current session"},
           [s](Call& c) { return Logout(s, c); });
  api->Add({"GET", "/api/v1/auth/me", Permission::kSelf, "", "", "The signed-in user and roles"},
           [](Call& c) { return Me(c); });
  api->Add({"GET", "/api/v1/endpoints", Permission::kSelf, "", "",
            "Where programs reach this appliance: the OpenAI-compatible gateway's URL"},
           [s](Call&) {
             return Result<Response>(Response::Json(
                 200, {{"gateway_url", s->gateway_url.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(s->gateway_url)}}));
           });
  api->Add({"POST", "/api/v1/auth/password", Permission::kSelf, "user.password_change", "user",
            "Change one's own password"},
           [s](Call& c) { return ChangePassword(s, c); });
}

}  // namespace hai::portal
