#include "daemons/portal/roles.h"

#include <array>

namespace hai::portal {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kOrgAdmin: return "org_admin";
    case Role::kDeveloper: return "developer";
    case Role::kCaller: return "caller";
  }
  return "caller";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "org_admin") return Role::kOrgAdmin;
  if (name == "developer") return Role::kDeveloper;
  if (name == "caller") return Role::kCaller;
  return std::nullopt;
}

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kPublic: return "public";
    case Permission::kCluster: return "cluster";
    case Permission::kSelf: return "self";
    case Permission::kOrgList: return "org.list";
    case Permission::kOrgCreate: return "org.create";
    case Permission::kOrgRead: return "org.read";
    case Permission::kOrgUpdate: return "org.update";
    case Permission::kOrgDelete: return "org.delete";
    case Permission::kOrgMembersManage: return "org.members.manage";
    case Permission::kUserList: return "user.list";
    case Permission::kUserCreate: return "user.create";
    case Permission::kUserRead: return "user.read";
    case Permission::kUserUpdate: return "user.update";
    case Permission::kUserDelete: return "user.delete";
    case Permission::kUserCredentials: return "user.credentials";
    case Permission::kApiKeyList: return "api_key.list";
    case Permission::kApiKeyCreate: return "api_key.create";
    case Permission::kApiKeyRevoke: return "api_key.revoke";
    case Permission::kAuditRead: return "audit.read";
    case Permission::kClusterRead: return "cluster.read";
    case Permission::kPlacementDryRun: return "placement.dry_run";
    case Permission::kModelRead: return "model.read";
    case Permission::kModelManage: return "model.manage";
    case Permission::kServiceRead: return "service.read";
    case Permission::kServiceManage: return "service.manage";
    case Permission::kCallLogRead: return "call_log.read";
    case Permission::kMonitoringRead: return "monitoring.read";
  }
  return "unknown";
}

std::span<const RoleRule> RoleTable() {
  //                 permission                      org_admin developer caller  scope
  static constexpr std::array<RoleRule, 25> kTable = {{
      {Permission::kSelf, true, true, true, "own profile, password, sign-out"},
      {Permission::kOrgList, true, true, true, "organisations the user belongs to"},
      {Permission::kOrgCreate, false, false, false, "platform admin only"},
      {Permission::kOrgRead, true, true, true, "own organisations and their member lists"},
      {Permission::kOrgUpdate, true, false, false, "own organisation's name and description"},
      {Permission::kOrgDelete, false, false, false, "platform admin only"},
      {Permission::kOrgMembersManage, true, false, false, "add, re-role, remove own org's members"},
      {Permission::kUserList, true, false, false, "members of own organisations"},
      {Permission::kUserCreate, true, false, false, "new users placed into own organisation"},
      {Permission::kUserRead, true, false, false, "members of own organisations (anyone: self)"},
      {Permission::kUserUpdate, false, false, false, "platform admin (anyone: own name, email)"},
      {Permission::kUserDelete, false, false, false, "platform admin only"},
      {Permission::kUserCredentials, false, false, false, "platform admin only"},
      {Permission::kApiKeyList, true, true, true, "org admin: the org's keys; others: own keys"},
      {Permission::kApiKeyCreate, true, true, true,
       "own keys in own organisations; callers: inference scope only"},
      {Permission::kApiKeyRevoke, true, true, true, "org admin: the org's keys; others: own keys"},
      {Permission::kAuditRead, true, false, false, "events of own organisations"},
      {Permission::kClusterRead, true, true, false, "nodes, accelerators and their events"},
      {Permission::kPlacementDryRun, true, true, false, "placement dry runs (nothing is bound)"},
      {Permission::kModelRead, true, true, true, "models visible to own organisations"},
      {Permission::kModelManage, false, false, false, "platform admin only: import, edit, delete"},
      {Permission::kServiceRead, true, true, true,
       "own organisations' services, deployments, replicas, logs and events"},
      {Permission::kServiceManage, true, true, false,
       "create, scale, stop and delete own organisations' services"},
      {Permission::kCallLogRead, true, true, true,
       "org admin, developer: own organisations' calls; caller: own calls"},
      {Permission::kMonitoringRead, true, true, false,
       "monitoring series of own organisations' calls"},
  }};
  return kTable;
}

bool RoleMay(Role role, Permission permission) {
  for (const RoleRule& r : RoleTable()) {
    if (r.permission != permission) continue;
    switch (role) {
      case Role::kOrgAdmin: return r.org_admin;
      case Role::kDeveloper: return r.developer;
      case Role::kCaller: return r.caller;
    }
  }
  return false;
}

}  // namespace hai::portal
