#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/list_query.h"
#include "daemons/portal/model.h"
#include "lib/store/database.h"

namespace hai::portal::api_keys {

using store::Database;

inline constexpr const char* kSecretPrefix = "sk-hai-";
inline constexpr const char* kScopeInference = "inference";
inline constexpr const char* kScopeManagement = "management";

struct NewKey {
  int64_t org_id = 0;
  int64_t user_id = 0;
  std::string name;
  std::vector<std::string> scopes;
  std::optional<std::vector<std::string>> allowed_services;
  std::optional<int64_t> expires_at;
  RateLimits limits;
};

struct Filter {
  std::optional<int64_t> org_id;
  std::optional<std::string> status;  // active | revoked | expired
  std::optional<int64_t> user_id;     // only this user's keys
  // Keys visible to a non-admin: own keys, plus every key of these orgs.
  std::optional<std::pair<int64_t, std::vector<int64_t>>> visible_to;
};

// Makes a new secret, stores its hash, returns the record and the secret
// (the only time it exists outside the caller's hands).
Result<std::pair<ApiKey, std::string>> Create(Database::Tx& tx, const NewKey& key, int64_t now);
Result<ApiKey> Get(Database::Tx& tx, int64_t id);
Result<Page<ApiKey>> List(Database::Tx& tx, const Filter& filter, const ListWindow& window,
                          int64_t now);
Status SetLimits(Database::Tx& tx, int64_t id, const RateLimits& limits);
Status Revoke(Database::Tx& tx, int64_t id, int64_t now);
Status RevokeForMember(Database::Tx& tx, int64_t org_id, int64_t user_id, int64_t now);
// The key record for a presented secret, whatever its state; nullopt if unknown.
Result<std::optional<ApiKey>> FindBySecret(Database::Tx& tx, const std::string& secret);
Status TouchLastUsed(Database::Tx& tx, int64_t id, int64_t now);

}  // namespace hai::portal::api_keys
