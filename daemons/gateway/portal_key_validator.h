#pragma once

#include <string>

#include "daemons/gateway/client_pool.h"
#include "daemons/gateway/key_cache.h"
#include "lib/http/url.h"

namespace hai::gateway {

// Asks hai-portal about a key: GET /internal/v1/api-keys/validate with the
// key in X-Api-Key and the cluster token as bearer; an https:// portal's
// certificate is verified against `ca_file` ("" = the system's store).
// Thread-safe.
class PortalKeyValidator final : public KeyValidator {
 public:
  PortalKeyValidator(http::HttpUrl portal, std::string cluster_token, int timeout_ms,
                     const std::string& ca_file = "");
  Result<KeyInfo> Validate(const std::string& secret) override;

 private:
  http::HttpUrl portal_;
  std::string token_;
  ClientPool clients_;
};

// The portal's answer, read strictly (an unexpected shape is an error).
Result<KeyInfo> KeyInfoFromJson(const std::string& body);

}  // namespace hai::gateway
