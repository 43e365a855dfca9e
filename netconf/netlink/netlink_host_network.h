#pragma once

#include <memory>

#include "netconf/host_network.h"

namespace hai::netconf {

// The real HostNetwork: rtnetlink through libnl-route for links, MTU,
// addresses and routes, DCB netlink through libmnl for PFC/ETS/APP.
//
// Its netlink sockets are opened here, so they belong to the network
// namespace of the calling thread, and stay there whichever thread uses them
// afterwards: a test that setns()-es a thread into its own namespace and
// calls this on that thread drives that namespace only, from any thread.
// Returns null when the sockets cannot be opened; MakeNetlinkHostNetworkOr()
// says why.
//
// Not thread-safe: one call at a time per object (each call is one or a few
// request/reply exchanges on its own sockets).
//
// Readback conventions (what a verify diff compares):
// - LinkState.addresses: IPv4 and IPv6 "ADDRESS/LEN" in inet_ntop form
//   (IPv6 shortened and lower-case), sorted; IPv6 link-local fe80::/10 left out.
// - LinkState.routes: main-table unicast routes with one next hop out of the
//   link and protocol static or boot only (kernel-made prefix routes left
//   out); "default" for prefix length 0; IPv6 metric 0 reads back as 1024.
// - ReplaceRoute removes other static/boot routes to the same destination out
//   of the link (another gateway or metric), so readback has exactly one.
// - RemoveAddress of an address that is not there is success.
std::unique_ptr<HostNetwork> MakeNetlinkHostNetwork();

// The same, with the reason when the sockets cannot be opened.
Result<std::unique_ptr<HostNetwork>> MakeNetlinkHostNetworkOr();

}  // namespace hai::netconf
