#include "daemons/gateway/portal_key_validator.h"

#include <nlohmann/json.hpp>

#include "lib/base/time_format.h"

namespace hai::gateway {

PortalKeyValidator::PortalKeyValidator(http::HttpUrl portal, std::string cluster_token,
                                       int timeout_ms)
    : portal_(std::move(portal)),
      token_(std::move(cluster_token)),
      clients_(timeout_ms, timeout_ms, 16) {}

Result<KeyInfo> PortalKeyValidator::Validate(const std::string& secret) {
  ClientPool::Lease client = clients_.Acquire(portal_.host, portal_.port);
  auto r = client->Send("GET", "/internal/v1/api-keys/validate", "",
                        {{"Authorization", "Bearer " + token_}, {"X-Api-Key", secret}});
  if (!r.ok()) {
    client.Discard();
    return Status::Unavailable("the portal cannot be asked about keys: " + r.status().message());
  }
  if (r->status != 200)
    return Status::Unavailable("the portal answered " + std::to_string(r->status) +
                               " when asked about a key: " + r->body.substr(0, 200));
  return KeyInfoFromJson(r->body);
}

Result<KeyInfo> KeyInfoFromJson(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("valid") || !j["valid"].is_boolean())
    return Status::Unavailable("the portal's answer about a key is not understood");
  KeyInfo info;
  try {
    info.valid = j["valid"].get<bool>();
    info.reason = j.value("reason", "");
    if (!j.contains("key_id")) return info;  // an unknown key: nothing more is said
    info.key_id = j.at("key_id").get<int64_t>();
    info.org_id = j.at("org_id").get<int64_t>();
    info.user_id = j.at("user_id").get<int64_t>();
    info.scopes = j.at("scopes").get<std::vector<std::string>>();
    if (j.contains("allowed_services") && !j["allowed_services"].is_null())
      info.allowed_services = j["allowed_services"].get<std::vector<std::string>>();
    if (j.contains("expires_at") && !j["expires_at"].is_null()) {
      info.expires_at_ms = ParseTime(j["expires_at"].get<std::string>());
      if (!info.expires_at_ms)
        return Status::Unavailable("the portal's answer about a key has a bad expires_at");
    }
  } catch (const nlohmann::json::exception&) {
    return Status::Unavailable("the portal's answer about a key has a field of the wrong type");
  }
  return info;
}

}  // namespace hai::gateway
