#include "daemons/portal/org_store.h"

namespace hai::portal::orgs {
namespace {

constexpr const char* kColumns =
    "o.id, o.name, o.description, o.created_at, "
    "(SELECT count(*) FROM memberships m WHERE m.org_id = o.id), o.rpm_limit, o.tpm_limit";
const std::string kSelect = std::string("SELECT ") + kColumns + " FROM orgs o";

Org Read(const store::Statement& s) {
  return Org{s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.Int(4), {s.OptInt(5), s.OptInt(6)}};
}

Result<int64_t> Count(Database::Tx& tx, const std::string& sql, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare(sql));
  s.Bind(1, id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Status NameTaken(const Status& st, const std::string& name) {
  if (st.code() == Code::kAlreadyExists)
    return Status::AlreadyExists("an organisation named '" + name + "' exists", "name");
  return st;
}

}  // namespace

Result<Org> Insert(Database::Tx& tx, const std::string& name, const std::string& description,
                   int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("INSERT INTO orgs(name, description, created_at, updated_at) "
                                  "VALUES (?, ?, ?, ?)"));
  HAI_RETURN_IF_ERROR(NameTaken(s.Bind(1, name).Bind(2, description).Bind(3, now).Bind(4, now).Run(),
                                name));
  return Get(tx, tx.LastInsertId());
}

Result<Org> Get(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare(kSelect + " WHERE o.id = ?"));
  s.Bind(1, id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("organisation " + std::to_string(id) + " not found");
  return Read(s);
}

Status SetLimits(Database::Tx& tx, int64_t id, const RateLimits& limits, int64_t now) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("UPDATE orgs SET rpm_limit = ?, tpm_limit = ?, updated_at = ? WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, limits.rpm).Bind(2, limits.tpm).Bind(3, now).Bind(4, id).Run());
  if (tx.Changes() == 0) return Status::NotFound("organisation " + std::to_string(id) + " not found");
  return Status::Ok();
}

Result<Page<Org>> List(Database::Tx& tx, const Filter& filter, const ListWindow& window) {
  Where where;
  if (!filter.q.empty())
    where.And("o.name LIKE ? ESCAPE '\\' OR o.description LIKE ? ESCAPE '\\'",
              {ContainsPattern(filter.q), ContainsPattern(filter.q)});
  if (filter.visible) where.AndIn("o.id", *filter.visible);
  Page<Org> page;
  HAI_ASSIGN_OR_RETURN(auto rows, ReadPage<Org>(tx, kColumns, "orgs o", where, window, "o.id", Read));
  page.items = std::move(rows.first);
  page.total = rows.second;
  return page;
}

Status Update(Database::Tx& tx, int64_t id, const std::optional<std::string>& name,
              const std::optional<std::string>& description, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE orgs SET name = coalesce(?, name), "
                                  "description = coalesce(?, description), updated_at = ? "
                                  "WHERE id = ?"));
  HAI_RETURN_IF_ERROR(
      NameTaken(s.Bind(1, name).Bind(2, description).Bind(3, now).Bind(4, id).Run(),
                name.value_or("")));
  if (tx.Changes() == 0) return Status::NotFound("organisation " + std::to_string(id) + " not found");
  return Status::Ok();
}

Status Delete(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(int64_t members,
                       Count(tx, "SELECT count(*) FROM memberships WHERE org_id = ?", id));
  HAI_ASSIGN_OR_RETURN(int64_t keys, Count(tx,
                                           "SELECT count(*) FROM api_keys WHERE org_id = ? AND "
                                           "revoked_at IS NULL",
                                           id));
  if (members > 0 || keys > 0)
    return Status::FailedPrecondition("organisation still has " + std::to_string(members) +
                                      " member(s) and " + std::to_string(keys) +
                                      " unrevoked API key(s); remove them first");
  // Revoked keys' records go with the organisation; the audit log keeps their history.
  HAI_ASSIGN_OR_RETURN(store::Statement keys_gone,
                       tx.Prepare("DELETE FROM api_keys WHERE org_id = ? AND revoked_at IS NOT NULL"));
  HAI_RETURN_IF_ERROR(keys_gone.Bind(1, id).Run());
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("DELETE FROM orgs WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, id).Run());
  if (tx.Changes() == 0) return Status::NotFound("organisation " + std::to_string(id) + " not found");
  return Status::Ok();
}

Result<std::vector<Membership>> MembershipsOf(Database::Tx& tx, int64_t user_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT m.org_id, o.name, m.role FROM memberships m "
                                  "JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ? "
                                  "ORDER BY o.name"));
  s.Bind(1, user_id);
  std::vector<Membership> out;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Int(0), s.Text(1), ParseRole(s.Text(2)).value_or(Role::kCaller)});
  }
  return out;
}

Result<Page<Member>> Members(Database::Tx& tx, int64_t org_id, const ListWindow& window) {
  Page<Member> page;
  HAI_ASSIGN_OR_RETURN(page.total,
                       Count(tx, "SELECT count(*) FROM memberships WHERE org_id = ?", org_id));
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT m.org_id, m.user_id, u.username, u.display_name, m.role, "
                                  "m.added_at FROM memberships m JOIN users u ON u.id = m.user_id "
                                  "WHERE m.org_id = ? ORDER BY " +
                                  window.order_by + ", u.id LIMIT ? OFFSET ?"));
  s.Bind(1, org_id).Bind(2, window.limit).Bind(3, window.offset);
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    page.items.push_back({s.Int(0), s.Int(1), s.Text(2), s.Text(3),
                          ParseRole(s.Text(4)).value_or(Role::kCaller), s.Int(5)});
  }
  return page;
}

Result<Member> GetMember(Database::Tx& tx, int64_t org_id, int64_t user_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT m.org_id, m.user_id, u.username, u.display_name, m.role, "
                                  "m.added_at FROM memberships m JOIN users u ON u.id = m.user_id "
                                  "WHERE m.org_id = ? AND m.user_id = ?"));
  s.Bind(1, org_id).Bind(2, user_id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("user " + std::to_string(user_id) + " is not a member");
  return Member{s.Int(0), s.Int(1), s.Text(2), s.Text(3),
                ParseRole(s.Text(4)).value_or(Role::kCaller), s.Int(5)};
}

Result<std::optional<Role>> RoleOf(Database::Tx& tx, int64_t org_id, int64_t user_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT role FROM memberships WHERE org_id = ? AND user_id = ?"));
  s.Bind(1, org_id).Bind(2, user_id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<Role>();
  return ParseRole(s.Text(0));
}

Status AddMember(Database::Tx& tx, int64_t org_id, int64_t user_id, Role role, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("INSERT INTO memberships(org_id, user_id, role, added_at) "
                                  "VALUES (?, ?, ?, ?)"));
  Status st = s.Bind(1, org_id).Bind(2, user_id).Bind(3, RoleName(role)).Bind(4, now).Run();
  if (st.code() == Code::kAlreadyExists)
    return Status::AlreadyExists("user " + std::to_string(user_id) + " is already a member",
                                 "user_id");
  if (st.code() == Code::kFailedPrecondition)
    return Status::InvalidArgument("user " + std::to_string(user_id) + " does not exist",
                                   "user_id");
  return st;
}

Status SetRole(Database::Tx& tx, int64_t org_id, int64_t user_id, Role role) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, RoleName(role)).Bind(2, org_id).Bind(3, user_id).Run());
  if (tx.Changes() == 0) return Status::NotFound("user " + std::to_string(user_id) + " is not a member");
  return Status::Ok();
}

Status RemoveMember(Database::Tx& tx, int64_t org_id, int64_t user_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("DELETE FROM memberships WHERE org_id = ? AND user_id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, org_id).Bind(2, user_id).Run());
  if (tx.Changes() == 0) return Status::NotFound("user " + std::to_string(user_id) + " is not a member");
  return Status::Ok();
}

}  // namespace hai::portal::orgs
