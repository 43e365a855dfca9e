#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/list_query.h"
#include "daemons/portal/model.h"
#include "lib/store/database.h"

namespace hai::portal::users {

using store::Database;

struct NewUser {
  std::string username;
  std::string password_hash;
  std::string display_name;
  std::string email;
  bool is_admin = false;
};

struct Filter {
  std::string q;                         // username, display name or email contains
  std::optional<int64_t> org_id;         // members of this org
  std::optional<std::vector<int64_t>> visible_orgs;  // restrict to members of these
};

struct Patch {
  std::optional<std::string> display_name;
  std::optional<std::string> email;
  std::optional<bool> disabled;
  std::optional<bool> is_admin;
};

Result<User> Insert(Database::Tx& tx, const NewUser& user, int64_t now);
Result<User> Get(Database::Tx& tx, int64_t id);
// The user and their password hash, by case-insensitive username.
Result<std::optional<std::pair<User, std::string>>> FindForLogin(Database::Tx& tx,
                                                                const std::string& username);
Result<Page<User>> List(Database::Tx& tx, const Filter& filter, const ListWindow& window);
Status Update(Database::Tx& tx, int64_t id, const Patch& patch, int64_t now);
Result<std::string> PasswordHash(Database::Tx& tx, int64_t id);
Status SetPassword(Database::Tx& tx, int64_t id, const std::string& hash, int64_t now);
// Counts a failed sign-in; at `threshold` consecutive failures the account
// locks until `lock_until`. Returns the locked-until time when it locked.
// A lock that has run out starts the count afresh.
Result<std::optional<int64_t>> RecordLoginFailure(Database::Tx& tx, int64_t id, int threshold,
                                                  int64_t now, int64_t lock_until);
Status RecordLoginSuccess(Database::Tx& tx, int64_t id, int64_t now);
Status Unlock(Database::Tx& tx, int64_t id);
Status Delete(Database::Tx& tx, int64_t id);
Result<int64_t> CountActiveAdmins(Database::Tx& tx);

}  // namespace hai::portal::users
