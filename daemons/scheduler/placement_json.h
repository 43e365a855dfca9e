#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "lib/base/status.h"
#include "lib/placement/decision.h"
#include "lib/placement/request.h"

namespace hai::scheduler {

// The API's placement request body → PlacementRequest. Strict: an unknown
// field, a wrong type or a bad enum is an InvalidArgument naming the field.
Result<placement::PlacementRequest> PlacementRequestFromJson(const std::string& body);
nlohmann::json ToJson(const placement::Decision& d);

}  // namespace hai::scheduler
