#pragma once

#include <string>

#include "lib/base/status.h"
#include "netconf/host_network.h"
#include "netconf/netlink/dcb_message.h"
#include "netconf/netlink/mnl_route_socket.h"

namespace hai::netconf::nl {

// DCB_CMD_IEEE_GET for `ifname`: configuration and PFC counters.
Result<dcb::IeeeReadback> ReadIeeeDcb(MnlRouteSocket& sock, const std::string& ifname);

// Makes the device's IEEE DCB state equal `config`: one DCB_CMD_IEEE_SET
// (ETS, PFC, wanted APP entries), then a readback, then one DCB_CMD_IEEE_DEL
// for DSCP APP entries the readback shows but `config` does not want (the
// kernel keeps APP entries until deleted, and a DSCP may map to several
// priorities at once). Non-DSCP APP entries are left alone.
Status WriteIeeeDcb(MnlRouteSocket& sock, const std::string& ifname, const DcbConfig& config);

}  // namespace hai::netconf::nl
