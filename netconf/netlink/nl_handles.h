#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "lib/base/status.h"

// libnl types, declared here so that only .cc files include libnl headers.
struct nl_sock;
struct nl_cache;
struct nl_addr;
struct rtnl_link;
struct rtnl_addr;
struct rtnl_route;

namespace hai::netconf::nl {

// Frees libnl objects: every libnl allocation in this library is held by one
// of the pointers below from the moment it is made.
struct NlFree {
  void operator()(nl_sock* p) const;
  void operator()(nl_cache* p) const;
  void operator()(nl_addr* p) const;
  void operator()(rtnl_link* p) const;
  void operator()(rtnl_addr* p) const;
  void operator()(rtnl_route* p) const;
};
using NlSockPtr = std::unique_ptr<nl_sock, NlFree>;
using NlCachePtr = std::unique_ptr<nl_cache, NlFree>;
using NlAddrPtr = std::unique_ptr<nl_addr, NlFree>;
using LinkPtr = std::unique_ptr<rtnl_link, NlFree>;
using AddrPtr = std::unique_ptr<rtnl_addr, NlFree>;
using RoutePtr = std::unique_ptr<rtnl_route, NlFree>;

// A connected NETLINK_ROUTE socket in the calling thread's network namespace.
Result<NlSockPtr> OpenRouteSocket();

// Maps a (negative) libnl error code to a Status naming `what`.
Status NlStatus(std::string_view what, int nl_err);

// "10.20.0.1/24" or "fd00::1/64" (a prefix length is required) → address with
// that prefix length. `field` names the input in the error.
Result<NlAddrPtr> ParseCidr(const std::string& text, std::string_view field);
// "10.20.0.1" or "fd00::1" without a prefix length.
Result<NlAddrPtr> ParseIp(const std::string& text, std::string_view field);

// inet_ntop text of a binary address, without prefix length.
std::string FormatIp(const nl_addr* addr);

}  // namespace hai::netconf::nl
