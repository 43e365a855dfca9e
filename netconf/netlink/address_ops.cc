#include "netconf/netlink/address_ops.h"

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>
#include <sys/socket.h>

#include <algorithm>

namespace hai::netconf::nl {
namespace {

bool IsIpv6LinkLocal(const nl_addr* addr) {
  if (nl_addr_get_family(addr) != AF_INET6 || nl_addr_get_len(addr) < 2) return false;
  const auto* b = static_cast<const unsigned char*>(nl_addr_get_binary_addr(addr));
  return b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
}

Result<AddrPtr> Template(int ifindex, const std::string& cidr) {
  HAI_ASSIGN_OR_RETURN(NlAddrPtr local, ParseCidr(cidr, "address"));
  AddrPtr addr(rtnl_addr_alloc());
  if (!addr) return Status::Internal("rtnl_addr_alloc failed");
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_family(addr.get(), nl_addr_get_family(local.get()));
  if (int err = rtnl_addr_set_local(addr.get(), local.get()); err < 0) {
    return NlStatus("address " + cidr, err);
  }
  return addr;
}

}  // namespace

Result<std::vector<std::string>> ReadAddresses(nl_sock* sock, int ifindex) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_addr_alloc_cache(sock, &raw); err < 0) {
    return NlStatus("reading addresses", err);
  }
  NlCachePtr cache(raw);
  std::vector<std::string> out;
  for (nl_object* obj = nl_cache_get_first(cache.get()); obj != nullptr;
       obj = nl_cache_get_next(obj)) {
    auto* addr = reinterpret_cast<rtnl_addr*>(obj);
    if (rtnl_addr_get_ifindex(addr) != ifindex) continue;
    const nl_addr* local = rtnl_addr_get_local(addr);
    if (local == nullptr || IsIpv6LinkLocal(local)) continue;
    const std::string ip = FormatIp(local);
    if (ip.empty()) continue;
    out.push_back(ip + "/" + std::to_string(rtnl_addr_get_prefixlen(addr)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status AddAddress(nl_sock* sock, int ifindex, const std::string& name, const std::string& cidr) {
  HAI_ASSIGN_OR_RETURN(AddrPtr addr, Template(ifindex, cidr));
  const int err = rtnl_addr_add(sock, addr.get(), 0);
  if (err < 0 && err != -NLE_EXIST) return NlStatus(name + ": adding address " + cidr, err);
  return Status::Ok();
}

Status DeleteAddress(nl_sock* sock, int ifindex, const std::string& name, const std::string& cidr) {
  HAI_ASSIGN_OR_RETURN(AddrPtr addr, Template(ifindex, cidr));
  const int err = rtnl_addr_delete(sock, addr.get(), 0);
  if (err < 0 && err != -NLE_NOADDR) return NlStatus(name + ": removing address " + cidr, err);
  return Status::Ok();
}

}  // namespace hai::netconf::nl
