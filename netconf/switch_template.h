#pragma once

#include <string>

#include "netconf/fabric_plan.h"

namespace hai::netconf {

// The switch side of the plan as vendor-neutral pseudo-configuration with
// comments, for the network team to translate into their switch's syntax:
// trust DSCP, the RoCE DSCP on its priority and queue, PFC on that priority
// only, ECN/WRED on its queue, CNPs on their own strict queue, MTU, and the
// PFC watchdog. Plain text, not meant to be pasted as is.
std::string RenderSwitchTemplate(const FabricPlan& plan);

}  // namespace hai::netconf
