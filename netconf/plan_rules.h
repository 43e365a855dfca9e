#pragma once

#include "lib/base/status.h"
#include "netconf/fabric_plan.h"

namespace hai::netconf {

// The checks across keys that a per-key range cannot express: RoCE on one
// priority and one NPU TC end to end, CNP on its own DSCP, ETS shares summing
// to 100, -tc_cfg buffer limits, unique nodes, NPU devices and addresses.
// InvalidArgument naming the key at fault (fabric_plan.h).
Status CheckPlanRules(const FabricPlan& plan);

}  // namespace hai::netconf
