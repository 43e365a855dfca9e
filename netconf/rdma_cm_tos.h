#pragma once

#include "netconf/fabric_plan.h"
#include "netconf/report.h"

namespace hai::netconf {

// rdma_cm's defaults for connections that do not set a ToS themselves
// (§3.2, kernel ≥ 4.11), for each host NIC with an `hca`:
//   mkdir <configfs>/rdma_cm/<hca>          (the kernel creates ports/ inside)
//   ports/<n>/default_roce_mode = "RoCE v2"
//   ports/<n>/default_roce_tos  = 4 × DSCP (+2, ECT(0), when roce.tos_ect)
void ApplyRdmaCmTos(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                    Report* report);
void VerifyRdmaCmTos(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                     Report* report);

}  // namespace hai::netconf
