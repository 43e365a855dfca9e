#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/service_scheduler.h"
#include "daemons/portal/service_types.h"
#include "lib/base/status.h"

// Request bodies → typed values and records → API JSON for services,
// deployments and replicas. The only place their field names live. Bodies
// are strict: a wrong type, a missing required field or an unknown field is
// a 400 naming it. Range rules are in service_validation.h.
namespace hai::portal {

struct ServiceBody {
  std::string name;
  int64_t model_id = 0;
  int64_t org_id = 0;
  std::string description;
  std::optional<std::vector<std::string>> capabilities;  // absent: the model's
};
Result<ServiceBody> ParseServiceBody(const std::string& text);

struct ServicePatch {
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> capabilities;
};
Result<ServicePatch> ParseServicePatch(const std::string& text);

Result<DeploymentRequest> ParseDeploymentBody(const std::string& text);
Result<DeploymentPatch> ParseDeploymentPatch(const std::string& text);

nlohmann::json ToJson(const ModelService& s);
nlohmann::json ToJson(const Deployment& d);
nlohmann::json ToJson(const ReplicaInfo& r);
nlohmann::json ToJson(const ReplicaEventInfo& e);

// 409 {"error":{"code":"does_not_fit","message","reasons":[{node,code,message}]}}.
nlohmann::json DoesNotFitJson(const std::string& message, const std::vector<FitRefusal>& reasons);

}  // namespace hai::portal
