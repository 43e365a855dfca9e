#include "netconf/netlink/netlink_host_network.h"

#include <utility>

#include "netconf/netlink/address_ops.h"
#include "netconf/netlink/dcb_ops.h"
#include "netconf/netlink/link_ops.h"
#include "netconf/netlink/mnl_route_socket.h"
#include "netconf/netlink/nl_handles.h"
#include "netconf/netlink/route_ops.h"

namespace hai::netconf {
namespace {

class NetlinkHostNetwork final : public HostNetwork {
 public:
  NetlinkHostNetwork(nl::NlSockPtr rtnl, std::unique_ptr<nl::MnlRouteSocket> dcb)
      : rtnl_(std::move(rtnl)), dcb_(std::move(dcb)) {}

  Result<LinkState> GetLink(const std::string& name) override {
    HAI_ASSIGN_OR_RETURN(nl::LinkInfo info, nl::ReadLink(rtnl_.get(), name));
    LinkState state;
    state.name = name;
    if (!info.exists) return state;
    state.exists = true;
    state.up = info.up;
    state.mtu = info.mtu;
    HAI_ASSIGN_OR_RETURN(state.addresses, nl::ReadAddresses(rtnl_.get(), info.ifindex));
    HAI_ASSIGN_OR_RETURN(state.routes, nl::ReadRoutes(rtnl_.get(), info.ifindex));
    return state;
  }

  Status SetLinkUp(const std::string& name, bool up) override {
    return nl::ChangeLinkUp(rtnl_.get(), name, up);
  }

  Status SetMtu(const std::string& name, int mtu) override {
    return nl::ChangeMtu(rtnl_.get(), name, mtu);
  }

  Status AddAddress(const std::string& name, const std::string& cidr) override {
    HAI_ASSIGN_OR_RETURN(int ifindex, nl::LinkIndex(rtnl_.get(), name));
    return nl::AddAddress(rtnl_.get(), ifindex, name, cidr);
  }

  Status RemoveAddress(const std::string& name, const std::string& cidr) override {
    HAI_ASSIGN_OR_RETURN(int ifindex, nl::LinkIndex(rtnl_.get(), name));
    return nl::DeleteAddress(rtnl_.get(), ifindex, name, cidr);
  }

  Status ReplaceRoute(const std::string& name, const RouteSpec& route) override {
    HAI_ASSIGN_OR_RETURN(int ifindex, nl::LinkIndex(rtnl_.get(), name));
    return nl::ReplaceRouteOut(rtnl_.get(), ifindex, name, route);
  }

  Result<DcbConfig> GetDcb(const std::string& name) override {
    HAI_ASSIGN_OR_RETURN(dcb::IeeeReadback readback, nl::ReadIeeeDcb(*dcb_, name));
    return std::move(readback.config);
  }

  Status SetDcb(const std::string& name, const DcbConfig& config) override {
    return nl::WriteIeeeDcb(*dcb_, name, config);
  }

  Result<PfcCounters> GetPfcCounters(const std::string& name) override {
    HAI_ASSIGN_OR_RETURN(dcb::IeeeReadback readback, nl::ReadIeeeDcb(*dcb_, name));
    if (!readback.has_pfc) {
      return Status::FailedPrecondition(name + ": the driver reports no PFC state");
    }
    return readback.counters;
  }

 private:
  nl::NlSockPtr rtnl_;
  std::unique_ptr<nl::MnlRouteSocket> dcb_;
};

}  // namespace

Result<std::unique_ptr<HostNetwork>> MakeNetlinkHostNetworkOr() {
  HAI_ASSIGN_OR_RETURN(nl::NlSockPtr rtnl, nl::OpenRouteSocket());
  HAI_ASSIGN_OR_RETURN(std::unique_ptr<nl::MnlRouteSocket> dcb, nl::MnlRouteSocket::Open());
  return std::unique_ptr<HostNetwork>(
      std::make_unique<NetlinkHostNetwork>(std::move(rtnl), std::move(dcb)));
}

std::unique_ptr<HostNetwork> MakeNetlinkHostNetwork() {
  auto made = MakeNetlinkHostNetworkOr();
  if (!made.ok()) return nullptr;
  return std::move(made).value();
}

}  // namespace hai::netconf
