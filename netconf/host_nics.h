#pragma once

#include "netconf/fabric_plan.h"
#include "netconf/report.h"

namespace hai::netconf {

// Host NICs through the HostNetwork seam: link up, MTU, addresses (added,
// never removed: other addresses on the link may belong to someone else),
// routes (replaced), and DCB when the NIC's dcb = true. A device that
// answers DCB with "not supported by this device" is a failure of apply and
// a diff line of verify, so a plan that wants DCB on a NIC that cannot do it
// never looks lossless; dcb = false in the plan is how to say "no DCB here".
void ApplyHostNics(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                   Report* report);
void VerifyHostNics(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                    Report* report);

}  // namespace hai::netconf
