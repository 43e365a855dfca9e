#pragma once

#include <string>
#include <vector>

#include "netconf/fabric_plan.h"

namespace hai::netconf {

// Where the Ascend driver installs the tool (reference/appliance-hw.md §1.3).
inline constexpr char kDefaultHccnTool[] = "/usr/local/Ascend/driver/tools/hccn_tool";

// One hccn_tool set command for one NPU port.
struct HccnCommand {
  std::string item;               // "npu.0.pfc", for reports
  std::vector<std::string> argv;  // argv[0] is the tool
  // A failure is reported but tolerated: -dcqcn exists only in the tool's
  // extended build (§1.3 "ext build"), so a standard driver package answers
  // it with an error; the plan can make it required (npu.dcqcn_required).
  bool tolerated = false;
};

// The set commands for `port`, in the order they are run: addressing first
// (-ip, -gateway, -netdetect), then -mtu, then the QoS mapping (-dscp_to_tc,
// -prio_tc, -pfc), -tc_cfg when the plan sets buffers, -pfc_storm and -dcqcn.
std::vector<HccnCommand> RenderHccnCommands(const FabricPlan& plan, const NpuPort& port,
                                            const std::string& tool);

// "0,0,0,0,1,0,0,0": PFC on the plan's one priority.
std::string PfcBitmapText(const FabricPlan& plan);
std::string JoinInts(const std::vector<int>& values, char sep = ',');

}  // namespace hai::netconf
