#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace hai::portal {

// A user's role inside one organisation. Platform admins are a flag on the
// user, not an org role.
enum class Role { kOrgAdmin, kDeveloper, kCaller };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// What a route needs. Every route declares exactly one (see api.h).
enum class Permission {
  kPublic,          // anyone, no credentials (login)
  kCluster,         // another daemon, with the cluster token
  kSelf,            // any signed-in user, acting on themself
  kOrgList,         // list organisations (members see their own)
  kOrgCreate,
  kOrgRead,         // read an organisation and its members
  kOrgUpdate,
  kOrgDelete,
  kOrgMembersManage,
  kUserList,
  kUserCreate,
  kUserRead,
  kUserUpdate,
  kUserDelete,
  kUserCredentials,  // reset another user's password, unlock
  kApiKeyList,
  kApiKeyCreate,
  kApiKeyRevoke,
  kAuditRead,
  kClusterRead,     // nodes, accelerators, cluster events
  kPlacementDryRun, // ask the scheduler where a workload would go
  kModelRead,       // the model plaza: models visible to one's organisations
  kModelManage,     // import, edit and delete models
  kServiceRead,     // model services, deployments, replicas, their logs and events
  kServiceManage,   // create, scale, stop and delete services and deployments
  kCallLogRead,     // the gateway's call log (callers: their own calls)
  kMonitoringRead,  // monitoring series from the call-log rollups
};

std::string_view PermissionName(Permission p);

// One row of the role table: who may do what. The same table is rendered in
// docs/architecture.md; a test checks the two agree.
struct RoleRule {
  Permission permission;
  bool org_admin;
  bool developer;
  bool caller;
  std::string_view scope;  // what the grant covers, in words
};

// Platform admins hold every permission everywhere; this table is for org roles.
std::span<const RoleRule> RoleTable();
bool RoleMay(Role role, Permission permission);

}  // namespace hai::portal
