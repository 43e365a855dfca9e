#pragma once

#include <nlohmann/json_fwd.hpp>
#include <functional>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/placement/decision.h"
#include "lib/placement/request.h"

namespace hai::scheduler {

// The API's placement request body → PlacementRequest. Strict: an unknown
// field, a wrong type or a bad enum is an InvalidArgument naming the field.
Result<placement::PlacementRequest> PlacementRequestFromJson(const std::string& body);
// `resource_names(vendor, model)`: the vendor's Kubernetes extended-resource
// names, recorded with each placement for the later Kubernetes backend.
using ResourceNamesFn =
    std::function<std::vector<std::string>(accel::Vendor, const std::string& model)>;
nlohmann::json ToJson(const placement::Decision& d, const ResourceNamesFn& resource_names);

}  // namespace hai::scheduler
