#include "daemons/gateway/portal_key_validator.h"

#include <nlohmann/json.hpp>

#include "lib/base/time_format.h"

namespace hai::gateway {

PortalKeyValidator::PortalKeyValidator(http::HttpUrl portal, std::string cluster_token,
                                       int timeout_ms, const std::string& ca_file)
    : portal_(std::move(portal)),
      token_(std::move(cluster_token)),
      clients_(timeout_ms, timeout_ms, 16, ca_file) {}

Result<KeyInfo> PortalKeyValidator::Validate(const std::string& secret) {
  ClientPool::Lease client = clients_.Acquire(portal_);
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

namespace {

// {"rpm": n|null, "tpm": n|null}: a positive integer or null (no limit)
// each; an absent or null object is no limit at all.
Result<Limits> LimitsFromJson(const nlohmann::json& j) {
  Limits limits;
  if (j.is_null()) return limits;
  if (!j.is_object())
    return Status::Unavailable("the portal's answer has limits that are not an object");
  for (auto [name, field] : {std::pair{"rpm", &limits.rpm}, std::pair{"tpm", &limits.tpm}}) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_number_integer() || it->get<int64_t>() <= 0)
      return Status::Unavailable(std::string("the portal's answer has a bad limit ") + name);
    *field = it->get<int64_t>();
  }
  return limits;
}

}  // namespace

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
    info.prefix = j.value("key_prefix", "");
    if (j.contains("limits") && !j["limits"].is_null()) {
      const nlohmann::json& limits = j["limits"];
      if (!limits.is_object())
        return Status::Unavailable("the portal's answer about a key has bad limits");
      if (limits.contains("key")) {
        HAI_ASSIGN_OR_RETURN(info.key_limits, LimitsFromJson(limits["key"]));
      }
      if (limits.contains("org")) {
        HAI_ASSIGN_OR_RETURN(info.org_limits, LimitsFromJson(limits["org"]));
      }
    }
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
