#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/model.h"
#include "daemons/portal/roles.h"
#include "daemons/portal/services.h"
#include "lib/http/router.h"

namespace hai::portal {

// Who is calling, resolved once per request.
struct Principal {
  User user;
  std::vector<Membership> memberships;
  std::optional<int64_t> session_id;
  std::optional<int64_t> api_key_id;  // signed in with a management-scope key

  bool IsAdmin() const { return user.is_admin && !api_key_id; }
  std::optional<Role> RoleIn(int64_t org_id) const;
  // Platform admins may everything; others need a role in `org_id` that may.
  bool May(Permission p, int64_t org_id) const;
  // The organisations in which this principal holds `p`.
  std::vector<int64_t> OrgsWhere(Permission p) const;
};

// One request on its way through a route: handlers read `req` and `who` and
// fill the audit fields that only they know.
struct Call {
  http::Request& req;
  const Principal* who = nullptr;  // null only on public and cluster routes
  std::string resource_id;
  std::optional<int64_t> org_id;
  std::string summary;
  std::string username;  // who, for audit, when there is no principal (login)
  std::optional<int64_t> user_id;
  std::string audit_reason;  // a failure's reason for the audit log when the
                             // answer to the client must stay vaguer
};

using ApiHandler = std::function<Result<http::Response>(Call&)>;

// A route's contract: every route names its permission and, when it changes
// anything, the audit action it records.
struct RouteSpec {
  std::string method;
  std::string pattern;
  Permission permission;
  std::string action;         // audit action; required for POST/PATCH/PUT/DELETE
  std::string resource_type;  // audit resource type
  std::string summary;        // one line, for the OpenAPI check and docs
  bool self_allowed = false;  // {id} equal to the caller's user id passes the check
  // False only for a machine route whose every call is recorded elsewhere
  // and would flood the audit log (the gateways' call-log ingest: its rows
  // are the record). Such a route needs no audit action.
  bool audited = true;
};

// The management API: wraps each handler with authentication, the
// permission check, the JSON error mapping and exactly one audit entry per
// mutating request.
class Api {
 public:
  explicit Api(Services* services) : services_(services) {}
  void Add(RouteSpec spec, ApiHandler handler);
  const std::vector<RouteSpec>& specs() const { return specs_; }
  http::Router* router() { return &router_; }

 private:
  http::Response Run(const RouteSpec& spec, const ApiHandler& handler, http::Request& req);
  Result<std::optional<Principal>> Authenticate(const http::Request& req);
  Status Authorize(const RouteSpec& spec, const http::Request& req, const Principal* who);
  void Audit(const RouteSpec& spec, const Call& call, const http::Response& res,
             const Status& error);

  Services* services_;
  http::Router router_;
  std::vector<RouteSpec> specs_;
};

// Loads the principal's user and memberships (used by sign-in paths too).
Result<Principal> LoadPrincipal(store::Database::Tx& tx, int64_t user_id);

}  // namespace hai::portal
