#include "netconf/netlink/dcb_ops.h"

#include <vector>

namespace hai::netconf::nl {
namespace {

constexpr int kMaxDscp = 63;
constexpr int kMaxPriority = 7;

Status Validate(const std::string& ifname, const DcbConfig& config) {
  for (uint8_t tc : config.prio_tc) {
    if (tc > kMaxPriority) {
      return Status::InvalidArgument(
          ifname + ": prio_tc maps to TC " + std::to_string(tc) + ", the most is 7", "prio_tc");
    }
  }
  for (const auto& [dscp, prio] : config.dscp_prio) {
    if (dscp > kMaxDscp || prio > kMaxPriority) {
      return Status::InvalidArgument(ifname + ": APP entry dscp " + std::to_string(dscp) +
                                         " → prio " + std::to_string(prio) + " is out of range",
                                     "dscp_prio");
    }
  }
  return Status::Ok();
}

// Sends a SET/DEL request and checks both the kernel's verdict and the
// per-command result byte of its reply.
Status SetExchange(MnlRouteSocket& sock, const std::string& ifname, std::string_view op,
                   const dcb::Bytes& request, uint32_t seq) {
  HAI_ASSIGN_OR_RETURN(MnlRouteSocket::Exchange ex, sock.Transact(request, seq));
  if (ex.error != 0) return dcb::StatusFromErrno(ifname, op, ex.error);
  for (const auto& reply : ex.replies)
    HAI_RETURN_IF_ERROR(dcb::CheckIeeeSetReply(ifname, op, reply));
  return Status::Ok();
}

}  // namespace

Result<dcb::IeeeReadback> ReadIeeeDcb(MnlRouteSocket& sock, const std::string& ifname) {
  const uint32_t seq = sock.NextSeq();
  HAI_ASSIGN_OR_RETURN(MnlRouteSocket::Exchange ex,
                       sock.Transact(dcb::BuildIeeeGet(ifname, seq), seq));
  if (ex.error != 0) return dcb::StatusFromErrno(ifname, "DCB_CMD_IEEE_GET", ex.error);
  if (ex.replies.empty()) {
    return Status::Internal(ifname + ": DCB_CMD_IEEE_GET was acknowledged without a reply");
  }
  return dcb::ParseIeeeGetReply(ifname, ex.replies.front());
}

Status WriteIeeeDcb(MnlRouteSocket& sock, const std::string& ifname, const DcbConfig& config) {
  HAI_RETURN_IF_ERROR(Validate(ifname, config));
  uint32_t seq = sock.NextSeq();
  HAI_RETURN_IF_ERROR(
      SetExchange(sock, ifname, "DCB_CMD_IEEE_SET", dcb::BuildIeeeSet(ifname, config, seq), seq));

  HAI_ASSIGN_OR_RETURN(dcb::IeeeReadback now, ReadIeeeDcb(sock, ifname));
  const std::vector<dcb::DscpPrio> stale =
      dcb::StaleDscpApps(now.config.dscp_prio, config.dscp_prio);
  if (stale.empty()) return Status::Ok();
  seq = sock.NextSeq();
  return SetExchange(sock, ifname, "DCB_CMD_IEEE_DEL", dcb::BuildIeeeDelApps(ifname, stale, seq),
                     seq);
}

}  // namespace hai::netconf::nl
