#pragma once

#include <optional>
#include <string>

#include "daemons/gateway/gateway_metrics.h"
#include "daemons/gateway/key_cache.h"
#include "daemons/gateway/openai_error.h"
#include "lib/http/message.h"

namespace hai::gateway {

// Who is calling. `key` is set whenever the caller is known (even when it
// is then refused, e.g. a key without the inference scope); `error` when
// the call must not go on.
struct Caller {
  std::optional<KeyInfo> key;
  std::string source;      // "api" (an API key) or "playground"
  std::string key_prefix;  // "" for playground calls
  std::optional<ApiError> error;
  bool playground() const { return source == "playground"; }
};

// The header the portal's playground relay names its signed-in user with,
// next to the cluster token as bearer.
inline constexpr const char* kOnBehalfOfHeader = "X-Hai-On-Behalf-Of";

// "org_id=<n>;user_id=<n>" (either order, spaces around ';' allowed,
// positive integers) → the user in that organisation; nullopt when malformed.
struct OnBehalfOf {
  int64_t org_id = 0;
  int64_t user_id = 0;
};
std::optional<OnBehalfOf> ParseOnBehalfOf(const std::string& header);

// Tells who a request comes from: an API key (asked of the portal through
// the KeyCache), or the portal itself on behalf of a signed-in user (the
// cluster token, compared in constant time, with X-Hai-On-Behalf-Of): that
// user may call every service of the organisation with the inference
// scope. Without the header the cluster token is no key at all (401).
// Thread-safe.
class CallerIdentity {
 public:
  CallerIdentity(KeyCache* keys, std::string cluster_token, GatewayMetrics* metrics)
      : keys_(keys), cluster_token_(std::move(cluster_token)), metrics_(metrics) {}

  Caller Identify(const http::Request& req);

 private:
  Caller Delegated(const http::Request& req);

  KeyCache* keys_;
  const std::string cluster_token_;
  GatewayMetrics* metrics_;
};

}  // namespace hai::gateway
