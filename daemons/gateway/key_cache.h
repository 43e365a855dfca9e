#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "daemons/gateway/rate_limiter.h"
#include "lib/base/clock.h"
#include "lib/base/status.h"

namespace hai::gateway {

// The portal's answer about one API key (GET /internal/v1/api-keys/validate).
struct KeyInfo {
  bool valid = false;
  std::string reason;  // why not valid: unknown, revoked, expired, owner_disabled
  int64_t key_id = 0;
  int64_t org_id = 0;
  int64_t user_id = 0;
  std::vector<std::string> scopes;
  std::optional<std::vector<std::string>> allowed_services;  // nullopt: every service of the org
  std::optional<int64_t> expires_at_ms;
  std::string prefix;  // `key_prefix`: what the portal shows of the key
  Limits key_limits;   // `limits.key`
  Limits org_limits;   // `limits.org`: the key's organisation's
};

// Asks the control plane about a key. An error means no answer (the portal
// is unreachable or answered something unexpected), never "invalid".
class KeyValidator {
 public:
  virtual ~KeyValidator() = default;
  virtual Result<KeyInfo> Validate(const std::string& secret) = 0;
};

struct KeyCacheOptions {
  int64_t ttl_ms = 3000;
  size_t max_entries = 10000;
};

// What the cache answered, and whether the answer is older than the TTL
// because the portal could not be asked (serving on the last good answer).
struct KeyLookup {
  KeyInfo info;
  bool stale = false;
};

// Answers about API keys, valid or not, kept for `ttl_ms` and then asked
// again, so a revoked key stops working within the TTL. While the portal
// cannot be asked, the last answer is used however old it is: serving goes
// on when the control plane is away. An answer's expiry time is applied
// here too. Keys are held by their SHA-256, never in clear. At most
// `max_entries` keys are kept (the longest unchecked go first).
// Thread-safe; the portal is asked without holding the lock.
class KeyCache {
 public:
  KeyCache(KeyValidator* validator, const Clock* clock, KeyCacheOptions options)
      : validator_(validator), clock_(clock), options_(options) {}

  // Unavailable only when the portal cannot be asked and the key was never
  // answered before.
  Result<KeyLookup> Lookup(const std::string& secret);
  size_t size() const;

 private:
  struct Entry {
    KeyInfo info;
    int64_t checked_ms = 0;
  };
  KeyInfo Applied(KeyInfo info, int64_t now) const;
  void Store(const std::string& digest, const KeyInfo& info, int64_t now);

  KeyValidator* validator_;
  const Clock* clock_;
  const KeyCacheOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;  // GUARDED_BY(mu_): SHA-256 hex → answer
};

}  // namespace hai::gateway
