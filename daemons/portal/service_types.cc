#include "daemons/portal/service_types.h"

namespace hai::portal {

std::string_view DeploymentStateName(DeploymentState s) {
  switch (s) {
    case DeploymentState::kActive:
      return "active";
    case DeploymentState::kStopped:
      return "stopped";
    case DeploymentState::kDeleting:
      return "deleting";
  }
  return "active";
}

std::optional<DeploymentState> ParseDeploymentState(std::string_view name) {
  if (name == "active") return DeploymentState::kActive;
  if (name == "stopped") return DeploymentState::kStopped;
  if (name == "deleting") return DeploymentState::kDeleting;
  return std::nullopt;
}

std::string DeploymentPatch::FieldNames() const {
  std::string out;
  auto add = [&out](bool set, const char* name) {
    if (set) out += (out.empty() ? "" : ", ") + std::string(name);
  };
  add(replicas.has_value(), "replicas");
  add(weight.has_value(), "weight");
  add(args.has_value(), "args");
  add(env.has_value(), "env");
  add(state.has_value(), "state");
  return out.empty() ? "nothing" : out;
}

}  // namespace hai::portal
