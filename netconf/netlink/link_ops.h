#pragma once

#include <string>

#include "lib/base/status.h"
#include "netconf/netlink/nl_handles.h"

namespace hai::netconf::nl {

// What rtnl_link_get_kernel says about one link.
struct LinkInfo {
  bool exists = false;
  int ifindex = 0;
  bool up = false;  // IFF_UP, the administrative state
  int mtu = 0;
};

// exists = false when the kernel has no link of that name.
Result<LinkInfo> ReadLink(nl_sock* sock, const std::string& name);
// The link's ifindex, kNotFound "<name>: no such network interface" if absent.
Result<int> LinkIndex(nl_sock* sock, const std::string& name);
Status ChangeLinkUp(nl_sock* sock, const std::string& name, bool up);
Status ChangeMtu(nl_sock* sock, const std::string& name, int mtu);

}  // namespace hai::netconf::nl
