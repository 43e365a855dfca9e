#pragma once

#include "netconf/fabric_plan.h"
#include "netconf/report.h"

namespace hai::netconf {

// Applies the plan for one node: NPU ports (hccn_tool, /etc/hccn.conf), the
// HCCL env file, host NICs (links, MTU, addresses, routes, DCB), ECN in
// sysfs and rdma_cm's ToS in configfs. Every step runs even when an earlier
// one failed (one bad NIC must not leave the NPUs unconfigured); then the
// node is verified into the same report.
Report ApplyNode(const FabricPlan& plan, const NodePlan& node, const Environment& env);

// Reads everything back. Empty diffs = the node is as the plan says.
Report VerifyNode(const FabricPlan& plan, const NodePlan& node, const Environment& env);

}  // namespace hai::netconf
