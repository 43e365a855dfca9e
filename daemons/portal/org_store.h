#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/list_query.h"
#include "daemons/portal/model.h"
#include "lib/store/database.h"

namespace hai::portal::orgs {

using store::Database;

struct Filter {
  std::string q;
  std::optional<std::vector<int64_t>> visible;  // only these ids (non-admins)
};

Result<Org> Insert(Database::Tx& tx, const std::string& name, const std::string& description,
                   int64_t now);
Result<Org> Get(Database::Tx& tx, int64_t id);
Result<Page<Org>> List(Database::Tx& tx, const Filter& filter, const ListWindow& window);
Status Update(Database::Tx& tx, int64_t id, const std::optional<std::string>& name,
              const std::optional<std::string>& description, int64_t now);
Status SetLimits(Database::Tx& tx, int64_t id, const RateLimits& limits, int64_t now);
// Refuses while members or API keys remain: deleting must not orphan anything.
Status Delete(Database::Tx& tx, int64_t id);

Result<std::vector<Membership>> MembershipsOf(Database::Tx& tx, int64_t user_id);
Result<Page<Member>> Members(Database::Tx& tx, int64_t org_id, const ListWindow& window);
Result<Member> GetMember(Database::Tx& tx, int64_t org_id, int64_t user_id);
Result<std::optional<Role>> RoleOf(Database::Tx& tx, int64_t org_id, int64_t user_id);
Status AddMember(Database::Tx& tx, int64_t org_id, int64_t user_id, Role role, int64_t now);
Status SetRole(Database::Tx& tx, int64_t org_id, int64_t user_id, Role role);
Status RemoveMember(Database::Tx& tx, int64_t org_id, int64_t user_id);

}  // namespace hai::portal::orgs
