#pragma once

#include <map>
#include <string>
#include <string_view>

#include "netconf/fabric_plan.h"

namespace hai::netconf {

// Where hai-netconf writes the HCCL environment for training containers and
// hccl_test runs (sourced or passed as an EnvironmentFile=).
inline constexpr char kHcclEnvPath[] = "/etc/hai/hccl.env";

// HCCL_RDMA_TC = 4 × DSCP (the ToS byte; HCCL wants a multiple of 4, 0–255)
// and HCCL_RDMA_SL = the PFC priority (reference/appliance-hw.md §1.4, §0.2).
std::map<std::string, std::string> HcclEnv(const FabricPlan& plan);
std::string RenderHcclEnv(const FabricPlan& plan);
// KEY=VALUE lines; comments and blank lines skipped, quotes not interpreted.
std::map<std::string, std::string> ParseEnvFile(std::string_view text);

}  // namespace hai::netconf
