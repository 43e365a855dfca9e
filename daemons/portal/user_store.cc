#include "daemons/portal/user_store.h"

namespace hai::portal::users {
namespace {

constexpr const char* kColumns =
    "id, username, display_name, email, is_admin, disabled, failed_logins, locked_until, "
    "created_at, last_login_at";

User Read(const store::Statement& s) {
  User u;
  u.id = s.Int(0);
  u.username = s.Text(1);
  u.display_name = s.Text(2);
  u.email = s.Text(3);
  u.is_admin = s.Int(4) != 0;
  u.disabled = s.Int(5) != 0;
  u.failed_logins = static_cast<int>(s.Int(6));
  u.locked_until = s.OptInt(7);
  u.created_at = s.Int(8);
  u.last_login_at = s.OptInt(9);
  return u;
}

Status ExpectOneChange(Database::Tx& tx, int64_t id) {
  if (tx.Changes() == 0) return Status::NotFound("user " + std::to_string(id) + " not found");
  return Status::Ok();
}

}  // namespace

Result<User> Insert(Database::Tx& tx, const NewUser& user, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("INSERT INTO users(username, password_hash, display_name, email, "
                                  "is_admin, created_at, updated_at, password_changed_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, user.username).Bind(2, user.password_hash).Bind(3, user.display_name);
  s.Bind(4, user.email).Bind(5, user.is_admin).Bind(6, now).Bind(7, now).Bind(8, now);
  Status st = s.Run();
  if (st.code() == Code::kAlreadyExists)
    return Status::AlreadyExists("username '" + user.username + "' is taken", "username");
  HAI_RETURN_IF_ERROR(st);
  return Get(tx, tx.LastInsertId());
}

Result<User> Get(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string("SELECT ") + kColumns + " FROM users WHERE id = ?"));
  s.Bind(1, id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("user " + std::to_string(id) + " not found");
  return Read(s);
}

Result<std::optional<std::pair<User, std::string>>> FindForLogin(Database::Tx& tx,
                                                                const std::string& username) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string("SELECT ") + kColumns +
                                  ", password_hash FROM users WHERE username = ?"));
  s.Bind(1, username);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::pair<User, std::string>>();
  return std::optional<std::pair<User, std::string>>(std::make_pair(Read(s), s.Text(10)));
}

Result<Page<User>> List(Database::Tx& tx, const Filter& filter, const ListWindow& window) {
  Where where;
  if (!filter.q.empty()) {
    std::string p = ContainsPattern(filter.q);
    where.And("username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\' OR "
              "email LIKE ? ESCAPE '\\'",
              {p, p, p});
  }
  if (filter.org_id)
    where.And("id IN (SELECT user_id FROM memberships WHERE org_id = ?)", {*filter.org_id});
  if (filter.visible_orgs)
    where.AndIn("id IN (SELECT user_id FROM memberships WHERE org_id", *filter.visible_orgs, ")");
  Page<User> page;
  HAI_ASSIGN_OR_RETURN(auto rows, ReadPage<User>(tx, kColumns, "users", where, window, "id", Read));
  page.items = std::move(rows.first);
  page.total = rows.second;
  return page;
}

Status Update(Database::Tx& tx, int64_t id, const Patch& patch, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE users SET display_name = coalesce(?, display_name), "
                                  "email = coalesce(?, email), disabled = coalesce(?, disabled), "
                                  "is_admin = coalesce(?, is_admin), updated_at = ? WHERE id = ?"));
  s.Bind(1, patch.display_name).Bind(2, patch.email).Bind(3, patch.disabled);
  s.Bind(4, patch.is_admin).Bind(5, now).Bind(6, id);
  HAI_RETURN_IF_ERROR(s.Run());
  return ExpectOneChange(tx, id);
}

Result<std::string> PasswordHash(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT password_hash FROM users WHERE id = ?"));
  s.Bind(1, id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("user " + std::to_string(id) + " not found");
  return s.Text(0);
}

Status SetPassword(Database::Tx& tx, int64_t id, const std::string& hash, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE users SET password_hash = ?, password_changed_at = ?, "
                                  "updated_at = ?, failed_logins = 0, locked_until = NULL "
                                  "WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, hash).Bind(2, now).Bind(3, now).Bind(4, id).Run());
  return ExpectOneChange(tx, id);
}

Result<std::optional<int64_t>> RecordLoginFailure(Database::Tx& tx, int64_t id, int threshold,
                                                  int64_t now, int64_t lock_until) {
  HAI_ASSIGN_OR_RETURN(store::Statement expired,
                       tx.Prepare("UPDATE users SET failed_logins = 0, locked_until = NULL "
                                  "WHERE id = ? AND locked_until IS NOT NULL AND locked_until <= ?"));
  HAI_RETURN_IF_ERROR(expired.Bind(1, id).Bind(2, now).Run());
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE users SET failed_logins = failed_logins + 1, "
                                  "locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? "
                                  "ELSE locked_until END WHERE id = ? RETURNING locked_until"));
  s.Bind(1, threshold).Bind(2, lock_until).Bind(3, id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("user " + std::to_string(id) + " not found");
  std::optional<int64_t> locked = s.OptInt(0);
  HAI_ASSIGN_OR_RETURN(bool more, s.Step());
  (void)more;
  if (locked && *locked == lock_until) return locked;
  return std::optional<int64_t>();
}

Status RecordLoginSuccess(Database::Tx& tx, int64_t id, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE users SET failed_logins = 0, locked_until = NULL, "
                                  "last_login_at = ? WHERE id = ?"));
  return s.Bind(1, now).Bind(2, id).Run();
}

Status Unlock(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE users SET failed_logins = 0, locked_until = NULL "
                                  "WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, id).Run());
  return ExpectOneChange(tx, id);
}

Status Delete(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("DELETE FROM users WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, id).Run());
  return ExpectOneChange(tx, id);
}

Result<int64_t> CountActiveAdmins(Database::Tx& tx) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT count(*) FROM users WHERE is_admin = 1 AND disabled = 0"));
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

}  // namespace hai::portal::users
