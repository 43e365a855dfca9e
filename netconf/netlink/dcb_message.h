#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/base/status.h"
#include "netconf/host_network.h"

namespace hai::netconf::dcb {

// DCB netlink (RTM_GETDCB/RTM_SETDCB with struct dcbmsg, DCB_CMD_IEEE_*) as
// byte strings, kept free of sockets so every attribute can be checked in
// tests. The layout is the one iproute2's `dcb` tool sends: DCB_ATTR_IFNAME,
// then DCB_ATTR_IEEE nesting ETS, PFC and an APP table of DSCP entries
// (selector IEEE_8021QAZ_APP_SEL_DSCP = 5, protocol = the DSCP value).

using Bytes = std::vector<uint8_t>;
using DscpPrio = std::pair<uint8_t, uint8_t>;

// RTM_SETDCB DCB_CMD_IEEE_SET with ETS (willing 0, tc_tx_bw = tc_rx_bw =
// config.tc_bw, tc_tsa, prio_tc), PFC (pfc_cap 8, pfc_en) and one APP entry
// per config.dscp_prio pair. Flags: NLM_F_REQUEST | NLM_F_ACK.
Bytes BuildIeeeSet(const std::string& ifname, const DcbConfig& config, uint32_t seq);

// RTM_SETDCB DCB_CMD_IEEE_DEL carrying only an APP table: the kernel keeps
// APP entries until they are deleted one by one, so a SET never removes a
// DSCP mapping that the plan no longer wants.
Bytes BuildIeeeDelApps(const std::string& ifname, const std::vector<DscpPrio>& apps, uint32_t seq);

// The DSCP APP entries in `present` (a readback) that `wanted` does not
// list: what BuildIeeeDelApps must remove after a SET. Sorted.
std::vector<DscpPrio> StaleDscpApps(std::vector<DscpPrio> present, std::vector<DscpPrio> wanted);

// RTM_GETDCB DCB_CMD_IEEE_GET for one interface.
Bytes BuildIeeeGet(const std::string& ifname, uint32_t seq);

// What a DCB_CMD_IEEE_GET reply says. A driver without ieee_getets /
// ieee_getpfc leaves that attribute out; the fields then stay zero and the
// has_* flag says so.
struct IeeeReadback {
  DcbConfig config;      // dscp_prio sorted; only selector-5 APP entries
  PfcCounters counters;  // ieee_pfc requests / indications
  bool has_ets = false;
  bool has_pfc = false;
};

// Parses one netlink message (header included) answering BuildIeeeGet.
Result<IeeeReadback> ParseIeeeGetReply(const std::string& ifname, std::span<const uint8_t> message);

// Checks the reply the kernel sends to IEEE_SET/IEEE_DEL: DCB_ATTR_IEEE then
// holds one byte, the driver's (negative) errno truncated to u8, 0 = success.
Status CheckIeeeSetReply(const std::string& ifname, std::string_view op,
                         std::span<const uint8_t> message);

// Maps a netlink error (a positive errno) for `op` on `ifname` to a Status:
// EOPNOTSUPP (a device without dcbnl_ops, e.g. veth) → kFailedPrecondition
// "<ifname>: DCB not supported by this device"; ENODEV → kNotFound; EPERM /
// EACCES → kPermissionDenied; anything else kUnavailable with the errno text.
Status StatusFromErrno(const std::string& ifname, std::string_view op, int err);

// Reads an NLMSG_ERROR message: OK for an acknowledgement (error 0), else
// StatusFromErrno. A message that is not a complete NLMSG_ERROR is kInternal.
Status StatusFromErrorMessage(const std::string& ifname, std::string_view op,
                              std::span<const uint8_t> message);

}  // namespace hai::netconf::dcb
