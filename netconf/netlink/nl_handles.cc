#include "netconf/netlink/nl_handles.h"

#include <arpa/inet.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include <charconv>

namespace hai::netconf::nl {

void NlFree::operator()(nl_sock* p) const { nl_socket_free(p); }
void NlFree::operator()(nl_cache* p) const { nl_cache_free(p); }
void NlFree::operator()(nl_addr* p) const { nl_addr_put(p); }
void NlFree::operator()(rtnl_link* p) const { rtnl_link_put(p); }
void NlFree::operator()(rtnl_addr* p) const { rtnl_addr_put(p); }
void NlFree::operator()(rtnl_route* p) const { rtnl_route_put(p); }

Result<NlSockPtr> OpenRouteSocket() {
  NlSockPtr sock(nl_socket_alloc());
  if (!sock) return Status::Internal("nl_socket_alloc failed");
  if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0) {
    return NlStatus("connecting a NETLINK_ROUTE socket", err);
  }
  return sock;
}

Status NlStatus(std::string_view what, int nl_err) {
  const std::string text = std::string(what) + ": " + nl_geterror(nl_err);
  switch (nl_err < 0 ? -nl_err : nl_err) {  // libnl returns -NLE_*
    case NLE_PERM:
      return Status::PermissionDenied(text + " (needs CAP_NET_ADMIN)");
    case NLE_OBJ_NOTFOUND:
    case NLE_NODEV:
    case NLE_NOADDR:
      return Status::NotFound(text);
    case NLE_INVAL:
    case NLE_RANGE:
    case NLE_AF_NOSUPPORT:
      return Status::InvalidArgument(text);
    default:
      return Status::Unavailable(text);
  }
}

Result<NlAddrPtr> ParseIp(const std::string& text, std::string_view field) {
  unsigned char buf[16];
  int family = AF_INET;
  size_t len = 4;
  if (inet_pton(AF_INET, text.c_str(), buf) != 1) {
    family = AF_INET6;
    len = 16;
    if (inet_pton(AF_INET6, text.c_str(), buf) != 1) {
      return Status::InvalidArgument("\"" + text + "\" is not an IPv4 or IPv6 address",
                                     std::string(field));
    }
  }
  NlAddrPtr addr(nl_addr_build(family, buf, len));
  if (!addr) return Status::Internal("nl_addr_build failed");
  return addr;
}

Result<NlAddrPtr> ParseCidr(const std::string& text, std::string_view field) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) {
    return Status::InvalidArgument("\"" + text + "\" has no prefix length (want ADDRESS/LEN)",
                                   std::string(field));
  }
  HAI_ASSIGN_OR_RETURN(NlAddrPtr addr, ParseIp(text.substr(0, slash), field));
  const std::string len_text = text.substr(slash + 1);
  unsigned len = 0;
  const auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  const unsigned max = nl_addr_get_family(addr.get()) == AF_INET ? 32 : 128;
  if (len_text.empty() || ec != std::errc() || end != len_text.data() + len_text.size() ||
      len > max) {
    return Status::InvalidArgument("\"" + text + "\" has a bad prefix length", std::string(field));
  }
  nl_addr_set_prefixlen(addr.get(), static_cast<int>(len));
  return addr;
}

std::string FormatIp(const nl_addr* addr) {
  char buf[INET6_ADDRSTRLEN] = {};
  const int family = nl_addr_get_family(addr);
  const size_t need = family == AF_INET ? 4 : 16;
  if ((family != AF_INET && family != AF_INET6) || nl_addr_get_len(addr) < need) return "";
  inet_ntop(family, nl_addr_get_binary_addr(addr), buf, sizeof(buf));
  return buf;
}

}  // namespace hai::netconf::nl
