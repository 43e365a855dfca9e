#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/roles.h"

namespace hai::portal {

// The portal's domain records. Times are epoch milliseconds (UTC).

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string email;
  bool is_admin = false;
  bool disabled = false;
  int failed_logins = 0;
  std::optional<int64_t> locked_until;
  int64_t created_at = 0;
  std::optional<int64_t> last_login_at;
};

// Requests and tokens per minute the gateways allow; nullopt = no limit.
struct RateLimits {
  std::optional<int64_t> rpm;
  std::optional<int64_t> tpm;
};

struct Org {
  int64_t id = 0;
  std::string name;
  std::string description;
  int64_t created_at = 0;
  int64_t member_count = 0;
  RateLimits limits;
};

struct Member {
  int64_t org_id = 0;
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kCaller;
  int64_t added_at = 0;
};

struct Membership {
  int64_t org_id = 0;
  std::string org_name;
  Role role = Role::kCaller;
};

struct ApiKey {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  int64_t user_id = 0;
  std::string username;
  std::string name;
  std::string prefix;
  std::vector<std::string> scopes;
  std::optional<std::vector<std::string>> allowed_services;
  std::optional<int64_t> expires_at;
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
  bool owner_disabled = false;
  RateLimits limits;
  RateLimits org_limits;  // the key's organisation's, for the gateways

  std::string StatusAt(int64_t now) const {
    if (revoked_at) return "revoked";
    if (owner_disabled) return "owner_disabled";
    if (expires_at && *expires_at <= now) return "expired";
    return "active";
  }
};

enum class Outcome { kSuccess, kFailure };

struct AuditEvent {
  int64_t id = 0;
  int64_t time = 0;
  std::optional<int64_t> user_id;
  std::string username;
  std::optional<int64_t> org_id;
  std::string action;
  std::string resource_type;
  std::string resource_id;
  Outcome outcome = Outcome::kSuccess;
  std::string reason;
  std::string summary;
  std::string client_ip;
  std::string user_agent;
  std::string request_id;
};

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
};

}  // namespace hai::portal
