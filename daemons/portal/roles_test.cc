#include "daemons/portal/roles.h"

#include <gtest/gtest.h>

#include <set>

namespace hai::portal {
namespace {

TEST(RolesTest, EveryOrgPermissionHasOneRow) {
  std::set<Permission> seen;
  for (const RoleRule& r : RoleTable()) {
    EXPECT_TRUE(seen.insert(r.permission).second) << PermissionName(r.permission);
    EXPECT_FALSE(r.scope.empty());
  }
  // kPublic and kCluster are not role grants; every other permission is in the table.
  for (int p = static_cast<int>(Permission::kSelf); p <= static_cast<int>(Permission::kPlacementDryRun);
       ++p)
    EXPECT_TRUE(seen.contains(static_cast<Permission>(p))) << p;
}

TEST(RolesTest, RolesAreOrdered) {
  // Whatever a caller may, a developer may; whatever a developer may, an org admin may.
  for (const RoleRule& r : RoleTable()) {
    EXPECT_TRUE(!r.caller || r.developer) << PermissionName(r.permission);
    EXPECT_TRUE(!r.developer || r.org_admin) << PermissionName(r.permission);
  }
}

TEST(RolesTest, KeyFacts) {
  EXPECT_TRUE(RoleMay(Role::kOrgAdmin, Permission::kOrgMembersManage));
  EXPECT_FALSE(RoleMay(Role::kDeveloper, Permission::kOrgMembersManage));
  EXPECT_FALSE(RoleMay(Role::kOrgAdmin, Permission::kOrgCreate));
  EXPECT_TRUE(RoleMay(Role::kCaller, Permission::kApiKeyCreate));
  EXPECT_FALSE(RoleMay(Role::kCaller, Permission::kAuditRead));
  EXPECT_EQ(ParseRole("developer"), Role::kDeveloper);
  EXPECT_FALSE(ParseRole("root"));
}

}  // namespace
}  // namespace hai::portal
