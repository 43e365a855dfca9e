#pragma once

#include <optional>
#include <string>

#include "lib/store/database.h"

namespace hai::portal::sessions {

using store::Database;

struct Session {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;  // absolute expiry
};

struct Limits {
  int64_t idle_ms = 30LL * 60 * 1000;
  int64_t absolute_ms = 12LL * 3600 * 1000;
};

// Stores only the SHA-256 of the token: a copied database grants no sessions.
Status Create(Database::Tx& tx, const std::string& token, int64_t user_id, int64_t now,
              const Limits& limits, const std::string& client_ip, const std::string& user_agent,
              Session* out);
// The live session for `token`, touching its idle timer; nullopt when the
// token is unknown, idle too long or past its absolute expiry.
Result<std::optional<Session>> Resume(Database::Tx& tx, const std::string& token, int64_t now,
                                      const Limits& limits);
Status Delete(Database::Tx& tx, int64_t session_id);
Status DeleteForUser(Database::Tx& tx, int64_t user_id);
Status DeleteExpired(Database::Tx& tx, int64_t now, const Limits& limits);

}  // namespace hai::portal::sessions
