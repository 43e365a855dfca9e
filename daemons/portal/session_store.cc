#include "daemons/portal/session_store.h"

#include "lib/base/random.h"

namespace hai::portal::sessions {

Status Create(Database::Tx& tx, const std::string& token, int64_t user_id, int64_t now,
              const Limits& limits, const std::string& client_ip, const std::string& user_agent,
              Session* out) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("INSERT INTO sessions(token_hash, user_id, created_at, "
                                  "last_seen_at, expires_at, client_ip, user_agent) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  int64_t expires = now + limits.absolute_ms;
  s.Bind(1, Sha256Hex(token)).Bind(2, user_id).Bind(3, now).Bind(4, now).Bind(5, expires);
  HAI_RETURN_IF_ERROR(s.Bind(6, client_ip).Bind(7, user_agent.substr(0, 512)).Run());
  *out = {tx.LastInsertId(), user_id, now, now, expires};
  return Status::Ok();
}

Result<std::optional<Session>> Resume(Database::Tx& tx, const std::string& token, int64_t now,
                                      const Limits& limits) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT id, user_id, created_at, last_seen_at, expires_at "
                                  "FROM sessions WHERE token_hash = ?"));
  s.Bind(1, Sha256Hex(token));
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<Session>();
  Session session{s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Int(4)};
  if (now >= session.expires_at || now - session.last_seen_at >= limits.idle_ms) {
    HAI_RETURN_IF_ERROR(Delete(tx, session.id));
    return std::optional<Session>();
  }
  // Touch at most once a second: keeps reads from turning into a write each.
  if (now - session.last_seen_at >= 1000) {
    HAI_ASSIGN_OR_RETURN(store::Statement touch,
                         tx.Prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?"));
    HAI_RETURN_IF_ERROR(touch.Bind(1, now).Bind(2, session.id).Run());
    session.last_seen_at = now;
  }
  return std::optional<Session>(session);
}

Status Delete(Database::Tx& tx, int64_t session_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("DELETE FROM sessions WHERE id = ?"));
  return s.Bind(1, session_id).Run();
}

Status DeleteForUser(Database::Tx& tx, int64_t user_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("DELETE FROM sessions WHERE user_id = ?"));
  return s.Bind(1, user_id).Run();
}

Status DeleteExpired(Database::Tx& tx, int64_t now, const Limits& limits) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?"));
  return s.Bind(1, now).Bind(2, now - limits.idle_ms).Run();
}

}  // namespace hai::portal::sessions
