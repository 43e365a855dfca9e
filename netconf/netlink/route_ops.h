#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"
#include "netconf/host_network.h"
#include "netconf/netlink/nl_handles.h"

namespace hai::netconf::nl {

// Main-table unicast routes, IPv4 and IPv6, with one next hop out of
// `ifindex` and protocol static or boot: the ones ReplaceRoute (static) or an
// operator's `ip route add` (boot) makes. Kernel-made routes (proto kernel
// prefix routes, IPv6 fe80::/64 and multicast, ra) are left out so that a
// verify diff only ever shows routes a plan could have added. Sorted by
// destination, gateway, metric. A prefix length 0 reads "default"; IPv6
// routes given metric 0 read back with the kernel's 1024.
Result<std::vector<RouteSpec>> ReadRoutes(nl_sock* sock, int ifindex);

// Adds or replaces (NLM_F_CREATE | NLM_F_REPLACE, proto static) the route,
// then deletes the other static/boot routes to the same destination out of
// this link: the kernel keys routes by metric too, so replacing a route with
// one of another metric would otherwise leave the old one beside it.
// The family comes from the destination ("default" takes the gateway's;
// IPv4 when there is none). No gateway = an on-link (scope link) route.
Status ReplaceRouteOut(nl_sock* sock, int ifindex, const std::string& name, const RouteSpec& route);

}  // namespace hai::netconf::nl
