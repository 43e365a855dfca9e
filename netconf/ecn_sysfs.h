#pragma once

#include "netconf/fabric_plan.h"
#include "netconf/report.h"

namespace hai::netconf {

// ECN for RoCE on a host NIC, where the driver exposes it (ConnectX, §3.2):
//   <sysfs>/class/net/<if>/ecn/roce_np/enable/<prio> = 1  (notification point: send CNPs)
//   <sysfs>/class/net/<if>/ecn/roce_rp/enable/<prio> = 1  (reaction point: slow down)
//   <sysfs>/class/net/<if>/ecn/roce_np/cnp_dscp = plan cnp_dscp, when that file exists.
// A NIC without the ecn directory "is not supported by this device": a note
// when the NIC's ecn = "optional" (the default), a failure and a diff line
// when "required"; "off" leaves the knobs alone.
void ApplyEcn(const FabricPlan& plan, const NodePlan& node, const Environment& env, Report* report);
void VerifyEcn(const FabricPlan& plan, const NodePlan& node, const Environment& env,
               Report* report);

}  // namespace hai::netconf
