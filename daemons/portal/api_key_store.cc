#include "daemons/portal/api_key_store.h"

#include "lib/base/random.h"

namespace hai::portal::api_keys {
namespace {

constexpr const char* kColumns =
    "k.id, k.org_id, o.name, k.user_id, u.username, k.name, k.prefix, k.scopes, "
    "k.allowed_services, k.expires_at, k.created_at, k.last_used_at, k.revoked_at, u.disabled, "
    "k.rpm_limit, k.tpm_limit, o.rpm_limit, o.tpm_limit";
constexpr const char* kFrom =
    "api_keys k JOIN orgs o ON o.id = k.org_id JOIN users u ON u.id = k.user_id";
const std::string kSelect = std::string("SELECT ") + kColumns + " FROM " + kFrom;

// Lists are stored one item per line: names are validated to hold no newline.
std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : "\n") + s;
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

ApiKey Read(const store::Statement& s) {
  ApiKey k;
  k.id = s.Int(0);
  k.org_id = s.Int(1);
  k.org_name = s.Text(2);
  k.user_id = s.Int(3);
  k.username = s.Text(4);
  k.name = s.Text(5);
  k.prefix = s.Text(6);
  k.scopes = SplitLines(s.Text(7));
  if (auto allowed = s.OptText(8)) k.allowed_services = SplitLines(*allowed);
  k.expires_at = s.OptInt(9);
  k.created_at = s.Int(10);
  k.last_used_at = s.OptInt(11);
  k.revoked_at = s.OptInt(12);
  k.owner_disabled = s.Int(13) != 0;
  k.limits = {s.OptInt(14), s.OptInt(15)};
  k.org_limits = {s.OptInt(16), s.OptInt(17)};
  return k;
}

}  // namespace

Result<std::pair<ApiKey, std::string>> Create(Database::Tx& tx, const NewKey& key, int64_t now) {
  std::string secret = kSecretPrefix + RandomToken(32);
  std::string prefix = secret.substr(0, 14);
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("INSERT INTO api_keys(org_id, user_id, name, prefix, key_hash, "
                                  "scopes, allowed_services, expires_at, created_at, rpm_limit, tpm_limit) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, key.org_id).Bind(2, key.user_id).Bind(3, key.name).Bind(4, prefix);
  s.Bind(5, Sha256Hex(secret)).Bind(6, JoinLines(key.scopes));
  if (key.allowed_services) s.Bind(7, JoinLines(*key.allowed_services));
  else s.BindNull(7);
  s.Bind(10, key.limits.rpm).Bind(11, key.limits.tpm);
  HAI_RETURN_IF_ERROR(s.Bind(8, key.expires_at).Bind(9, now).Run());
  HAI_ASSIGN_OR_RETURN(ApiKey stored, Get(tx, tx.LastInsertId()));
  return std::make_pair(std::move(stored), std::move(secret));
}

Result<ApiKey> Get(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare(kSelect + " WHERE k.id = ?"));
  s.Bind(1, id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("API key " + std::to_string(id) + " not found");
  return Read(s);
}

Result<Page<ApiKey>> List(Database::Tx& tx, const Filter& filter, const ListWindow& window,
                          int64_t now) {
  Where where;
  if (filter.org_id) where.And("k.org_id = ?", {*filter.org_id});
  if (filter.user_id) where.And("k.user_id = ?", {*filter.user_id});
  if (filter.status == "active")
    where.And("k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)", {now});
  else if (filter.status == "revoked")
    where.And("k.revoked_at IS NOT NULL");
  else if (filter.status == "expired")
    where.And("k.revoked_at IS NULL AND k.expires_at <= ?", {now});
  if (filter.visible_to) {
    std::vector<Where::Value> values{filter.visible_to->first};
    std::string in = Where::Placeholders(filter.visible_to->second, &values);
    where.And("k.user_id = ? OR k.org_id IN " + in, std::move(values));
  }
  Page<ApiKey> page;
  HAI_ASSIGN_OR_RETURN(auto rows, ReadPage<ApiKey>(tx, kColumns, kFrom, where, window, "k.id", Read));
  page.items = std::move(rows.first);
  page.total = rows.second;
  return page;
}

Status SetLimits(Database::Tx& tx, int64_t id, const RateLimits& limits) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE api_keys SET rpm_limit = ?, tpm_limit = ? WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, limits.rpm).Bind(2, limits.tpm).Bind(3, id).Run());
  if (tx.Changes() == 0) return Status::NotFound("API key " + std::to_string(id) + " not found");
  return Status::Ok();
}

Status Revoke(Database::Tx& tx, int64_t id, int64_t now) {
  HAI_ASSIGN_OR_RETURN(ApiKey key, Get(tx, id));
  if (key.revoked_at) return Status::FailedPrecondition("API key " + std::to_string(id) +
                                                        " is already revoked");
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?"));
  return s.Bind(1, now).Bind(2, id).Run();
}

Status RevokeForMember(Database::Tx& tx, int64_t org_id, int64_t user_id, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND "
                                  "user_id = ? AND revoked_at IS NULL"));
  return s.Bind(1, now).Bind(2, org_id).Bind(3, user_id).Run();
}

Result<std::optional<ApiKey>> FindBySecret(Database::Tx& tx, const std::string& secret) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(kSelect + " WHERE k.key_hash = ?"));
  s.Bind(1, Sha256Hex(secret));
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<ApiKey>();
  return std::optional<ApiKey>(Read(s));
}

Status TouchLastUsed(Database::Tx& tx, int64_t id, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND "
                                  "(last_used_at IS NULL OR last_used_at < ?)"));
  return s.Bind(1, now).Bind(2, id).Bind(3, now - 60000).Run();
}

}  // namespace hai::portal::api_keys
