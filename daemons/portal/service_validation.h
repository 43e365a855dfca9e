#pragma once

#include <string>
#include <vector>

#include "daemons/portal/model_card.h"
#include "daemons/portal/service_types.h"
#include "lib/accel/vendor_adapter.h"
#include "lib/base/status.h"
#include "lib/engine_profile/engine_profile.h"

// The rules on services and deployments that need no database and no
// scheduler. Errors are InvalidArgument naming the request field.
namespace hai::portal {

inline constexpr int64_t kMaxReplicas = 64;
inline constexpr int64_t kMaxWeight = 100;

// 1–64 characters of letters, digits, '-', '_', '.', ':', starting with a
// letter or digit: what callers put in `model`.
Status CheckServiceName(const std::string& name);
Status CheckServiceDescription(const std::string& description);
// Words from the model cards' vocabulary (model_card.h), no repeats.
Status CheckServiceCapabilities(const std::vector<std::string>& capabilities);

Status CheckReplicas(int64_t replicas);
Status CheckWeight(int64_t weight);
// Shape and ranges of a new deployment: cluster name, vendor, device model,
// devices per replica (0 exactly for cpu), memory, replicas, weight, and the
// arguments and environment (argv elements and variables, never a shell line).
Status CheckDeploymentRequest(const DeploymentRequest& r);

// The engine against what it must serve: `engine` is a known profile, serves
// `category` and runs on the vendor; then the profile is rendered for a
// sample placement so that arguments and variables it refuses (a flag the
// profile sets itself, say) are a 400 now rather than a failed launch later.
Status CheckEngineFits(const std::vector<engine_profile::EngineProfile>& profiles,
                       const accel::AdapterRegistry& adapters, const DeploymentRequest& r,
                       ModelCategory category, const std::string& model_path);

}  // namespace hai::portal
