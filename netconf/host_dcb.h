#pragma once

#include <string>

#include "netconf/fabric_plan.h"
#include "netconf/host_network.h"

namespace hai::netconf {

// The IEEE DCB settings every host NIC with dcb = true gets (§3.2): PFC on
// the RoCE priority only, ETS from [host], and one APP entry DSCP → priority.
// There is no separate "trust dscp" knob in IEEE DCB netlink; drivers that
// have one (mlx5) switch to DSCP trust when the first DSCP APP entry arrives.
DcbConfig RenderDcb(const FabricPlan& plan);
// "pfc 0,0,0,0,1,0,0,0 prio-tc 0,0,0,0,1,0,0,0 tc-tsa ets,… tc-bw 50,50,… app 33:4".
std::string DescribeDcb(const DcbConfig& dcb);

}  // namespace hai::netconf
