#pragma once

#include "netconf/fabric_plan.h"
#include "netconf/report.h"

namespace hai::netconf {

// NPU parameter-plane ports: the hccn_tool set commands, then /etc/hccn.conf
// (the keys HccnConfKeys names; other lines preserved).
void ApplyNpuPorts(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                   Report* report);
// Reads every port back with `hccn_tool -i N <cmd> -g` and /etc/hccn.conf.
void VerifyNpuPorts(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                    Report* report);

}  // namespace hai::netconf
