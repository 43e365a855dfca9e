#include "daemons/gateway/key_policy.h"

#include <algorithm>

namespace hai::gateway {
namespace {

bool InOrg(const KeyInfo& key, const RoutedService& service) {
  return service.org_id == key.org_id;
}

bool Allowed(const KeyInfo& key, const RoutedService& service) {
  if (!key.allowed_services) return true;
  const auto& names = *key.allowed_services;
  return std::find(names.begin(), names.end(), service.name) != names.end();
}

}  // namespace

std::optional<ApiError> CheckKey(const KeyInfo& key) {
  if (!key.valid) {
    if (key.reason == "revoked")
      return ApiError{401, "api_key_revoked", "the API key was revoked", ""};
    if (key.reason == "expired")
      return ApiError{401, "api_key_expired", "the API key has expired", ""};
    if (key.reason == "owner_disabled")
      return ApiError{401, "invalid_api_key", "the API key's owner is disabled", ""};
    return ApiError{401, "invalid_api_key", "the API key is not valid", ""};
  }
  if (std::find(key.scopes.begin(), key.scopes.end(), kInferenceScope) == key.scopes.end())
    return ApiError{403, "insufficient_scope",
                    "the API key lacks the inference scope needed to call models", ""};
  return std::nullopt;
}

bool MayUse(const KeyInfo& key, const RoutedService& service) {
  return InOrg(key, service) && Allowed(key, service);
}

std::optional<ApiError> CheckService(const KeyInfo& key, const std::string& model,
                                     const RoutedService* service) {
  if (!service || !InOrg(key, *service))
    return ApiError{404, "model_not_found", "the model '" + model + "' does not exist", "model"};
  if (!Allowed(key, *service))
    return ApiError{403, "model_not_allowed", "the API key may not call the model '" + model + "'",
                    "model"};
  return std::nullopt;
}

}  // namespace hai::gateway
