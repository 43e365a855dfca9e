#include "netconf/netlink/link_ops.h"

#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>

namespace hai::netconf::nl {
namespace {

Status CheckName(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ || name.find('/') != std::string::npos) {
    return Status::InvalidArgument("\"" + name + "\" is not a network interface name", "name");
  }
  return Status::Ok();
}

// The kernel's link object for `name`; a null pointer when there is none.
Result<LinkPtr> FetchLink(nl_sock* sock, const std::string& name) {
  HAI_RETURN_IF_ERROR(CheckName(name));
  rtnl_link* raw = nullptr;
  const int err = rtnl_link_get_kernel(sock, 0, name.c_str(), &raw);
  LinkPtr link(raw);
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return LinkPtr();
  if (err < 0) return NlStatus(name + ": reading the link", err);
  return link;
}

// Applies the changes in `change` (a fresh rtnl_link) to the link `name`.
Status ApplyChange(nl_sock* sock, const std::string& name, rtnl_link* change,
                   std::string_view what) {
  HAI_ASSIGN_OR_RETURN(LinkPtr link, FetchLink(sock, name));
  if (!link) return Status::NotFound(name + ": no such network interface");
  if (int err = rtnl_link_change(sock, link.get(), change, 0); err < 0) {
    return NlStatus(name + ": " + std::string(what), err);
  }
  return Status::Ok();
}

}  // namespace

Result<LinkInfo> ReadLink(nl_sock* sock, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(LinkPtr link, FetchLink(sock, name));
  LinkInfo info;
  if (!link) return info;
  info.exists = true;
  info.ifindex = rtnl_link_get_ifindex(link.get());
  info.up = (rtnl_link_get_flags(link.get()) & IFF_UP) != 0;
  info.mtu = static_cast<int>(rtnl_link_get_mtu(link.get()));
  return info;
}

Result<int> LinkIndex(nl_sock* sock, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(LinkInfo info, ReadLink(sock, name));
  if (!info.exists) return Status::NotFound(name + ": no such network interface");
  return info.ifindex;
}

Status ChangeLinkUp(nl_sock* sock, const std::string& name, bool up) {
  LinkPtr change(rtnl_link_alloc());
  if (!change) return Status::Internal("rtnl_link_alloc failed");
  if (up) {
    rtnl_link_set_flags(change.get(), IFF_UP);
  } else {
    rtnl_link_unset_flags(change.get(), IFF_UP);
  }
  return ApplyChange(sock, name, change.get(),
                     up ? "setting the link up" : "setting the link down");
}

Status ChangeMtu(nl_sock* sock, const std::string& name, int mtu) {
  if (mtu < 68 || mtu > 65535) {  // IPv4's minimum; the largest any driver takes
    return Status::InvalidArgument(name + ": MTU " + std::to_string(mtu) + " is out of range",
                                   "mtu");
  }
  LinkPtr change(rtnl_link_alloc());
  if (!change) return Status::Internal("rtnl_link_alloc failed");
  rtnl_link_set_mtu(change.get(), static_cast<unsigned>(mtu));
  return ApplyChange(sock, name, change.get(), "setting MTU " + std::to_string(mtu));
}

}  // namespace hai::netconf::nl
