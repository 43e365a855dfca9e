// Step "device-groups": the agent and the engines it starts open the
// accelerators' device nodes, which drivers give to a group (Ascend's
// HwHiAiUser by default, named when the driver is installed). `hai` joins
// each group of [agent] device_groups that exists here; the others are
// skipped, since a node without that accelerator has no such group. The
// units step restarts a running agent when a membership was added.
#include <memory>

#include "installer/hai-install/group_member.h"
#include "installer/hai-install/settings.h"

namespace hai::install {

Result<Step> PlanDeviceGroups(const PlanInput& in) {
  Step step;
  step.id = "device-groups";
  std::string list;
  for (const std::string& g : in.config.agent_device_groups) list += " " + g;
  step.description = list.empty() ? "no device groups"
                                  : "add user hai to the accelerator groups that exist:" + list;
  for (const std::string& g : in.config.agent_device_groups)
    step.actions.push_back(std::make_shared<JoinGroup>("hai", g));
  return step;
}

}  // namespace hai::install
