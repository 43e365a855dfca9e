#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"
#include "netconf/netlink/nl_handles.h"

namespace hai::netconf::nl {

// The link's IPv4 and IPv6 addresses as "ADDRESS/LEN" (inet_ntop text, so
// IPv6 in its canonical short form), sorted. IPv6 link-local (fe80::/10)
// addresses are left out: the kernel makes them itself, a plan never lists
// them, and verify must not see them as a difference.
Result<std::vector<std::string>> ReadAddresses(nl_sock* sock, int ifindex);
// An address already there is success (the kernel's EEXIST).
Status AddAddress(nl_sock* sock, int ifindex, const std::string& name, const std::string& cidr);
// An address already gone is success (the kernel's EADDRNOTAVAIL).
Status DeleteAddress(nl_sock* sock, int ifindex, const std::string& name, const std::string& cidr);

}  // namespace hai::netconf::nl
