#pragma once

#include <optional>
#include <string>

#include "daemons/gateway/key_cache.h"
#include "daemons/gateway/openai_error.h"
#include "daemons/gateway/route_map.h"

namespace hai::gateway {

// The scope a key needs to call models (M1-1's scope names).
inline constexpr const char* kInferenceScope = "inference";

// 401 for a key the portal does not accept (unknown, revoked, expired, its
// owner disabled); 403 for one without the inference scope.
std::optional<ApiError> CheckKey(const KeyInfo& key);
// Whether the key may call `service`: it belongs to the key's organisation
// and, when the key names allowed services, is one of them.
bool MayUse(const KeyInfo& key, const RoutedService& service);
// 404 for a model that does not exist or belongs to another organisation
// (as if it did not exist, like the portal's tenant isolation); 403 for one
// the key's allowed services leave out.
std::optional<ApiError> CheckService(const KeyInfo& key, const std::string& model,
                                     const RoutedService* service);

}  // namespace hai::gateway
