#include "netconf/netlink/route_ops.h"

#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <algorithm>
#include <tuple>

namespace hai::netconf::nl {
namespace {

// The metric the kernel gives an IPv6 route added without one.
constexpr int kIpv6DefaultMetric = 1024;

struct Wanted {
  NlAddrPtr dst;
  NlAddrPtr gateway;  // null for an on-link route
  int family = AF_INET;
  int metric = 0;
};

Result<Wanted> Parse(const RouteSpec& route) {
  Wanted w;
  if (!route.gateway.empty()) {
    HAI_ASSIGN_OR_RETURN(w.gateway, ParseIp(route.gateway, "gateway"));
  }
  if (route.destination == "default") {
    w.family = w.gateway ? nl_addr_get_family(w.gateway.get()) : AF_INET;
    const unsigned char zero[16] = {};
    w.dst.reset(nl_addr_build(w.family, zero, w.family == AF_INET ? 4 : 16));
    if (!w.dst) return Status::Internal("nl_addr_build failed");
    nl_addr_set_prefixlen(w.dst.get(), 0);
  } else {
    HAI_ASSIGN_OR_RETURN(w.dst, ParseCidr(route.destination, "destination"));
    w.family = nl_addr_get_family(w.dst.get());
  }
  if (w.gateway && nl_addr_get_family(w.gateway.get()) != w.family) {
    return Status::InvalidArgument(
        "route " + route.destination + ": gateway " + route.gateway + " is another family",
        "gateway");
  }
  if (route.metric < 0) {
    return Status::InvalidArgument("route " + route.destination + ": negative metric", "metric");
  }
  w.metric = (w.family == AF_INET6 && route.metric == 0) ? kIpv6DefaultMetric : route.metric;
  return w;
}

// The single next hop's gateway and ifindex, or false for multipath routes.
bool SingleNexthop(rtnl_route* route, int* ifindex, nl_addr** gateway) {
  if (rtnl_route_get_nnexthops(route) != 1) return false;
  rtnl_nexthop* nh = rtnl_route_nexthop_n(route, 0);
  *ifindex = rtnl_route_nh_get_ifindex(nh);
  *gateway = rtnl_route_nh_get_gateway(nh);
  return true;
}

// Calls fn(route, spec) for every route ReadRoutes would report.
template <typename Fn>
Status ForEachOurRoute(nl_sock* sock, int ifindex, Fn fn) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_route_alloc_cache(sock, AF_UNSPEC, 0, &raw); err < 0) {
    return NlStatus("reading routes", err);
  }
  NlCachePtr cache(raw);
  for (nl_object* obj = nl_cache_get_first(cache.get()); obj != nullptr;
       obj = nl_cache_get_next(obj)) {
    auto* route = reinterpret_cast<rtnl_route*>(obj);
    const int family = rtnl_route_get_family(route);
    const int proto = rtnl_route_get_protocol(route);
    if ((family != AF_INET && family != AF_INET6) || rtnl_route_get_table(route) != RT_TABLE_MAIN ||
        rtnl_route_get_type(route) != RTN_UNICAST ||
        (proto != RTPROT_STATIC && proto != RTPROT_BOOT)) {
      continue;
    }
    int oif = 0;
    nl_addr* gateway = nullptr;
    if (!SingleNexthop(route, &oif, &gateway) || oif != ifindex) continue;
    const nl_addr* dst = rtnl_route_get_dst(route);
    RouteSpec spec;
    if (dst == nullptr || nl_addr_get_prefixlen(dst) == 0) {
      spec.destination = "default";
    } else {
      spec.destination = FormatIp(dst) + "/" + std::to_string(nl_addr_get_prefixlen(dst));
    }
    if (gateway != nullptr) spec.gateway = FormatIp(gateway);
    spec.metric = static_cast<int>(rtnl_route_get_priority(route));
    HAI_RETURN_IF_ERROR(fn(route, spec));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<RouteSpec>> ReadRoutes(nl_sock* sock, int ifindex) {
  std::vector<RouteSpec> out;
  HAI_RETURN_IF_ERROR(ForEachOurRoute(sock, ifindex, [&](rtnl_route*, const RouteSpec& spec) {
    out.push_back(spec);
    return Status::Ok();
  }));
  std::sort(out.begin(), out.end(), [](const RouteSpec& a, const RouteSpec& b) {
    return std::tie(a.destination, a.gateway, a.metric) <
           std::tie(b.destination, b.gateway, b.metric);
  });
  return out;
}

Status ReplaceRouteOut(nl_sock* sock, int ifindex, const std::string& name, const RouteSpec& spec) {
  HAI_ASSIGN_OR_RETURN(Wanted w, Parse(spec));
  RoutePtr route(rtnl_route_alloc());
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (!route || nh == nullptr) {
    if (nh != nullptr) rtnl_route_nh_free(nh);
    return Status::Internal("rtnl_route_alloc failed");
  }
  rtnl_route_nh_set_ifindex(nh, ifindex);
  if (w.gateway) rtnl_route_nh_set_gateway(nh, w.gateway.get());
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns nh from here
  rtnl_route_set_family(route.get(), static_cast<uint8_t>(w.family));
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_protocol(route.get(), RTPROT_STATIC);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  rtnl_route_set_scope(route.get(), w.gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
  rtnl_route_set_priority(route.get(), static_cast<uint32_t>(w.metric));
  if (int err = rtnl_route_set_dst(route.get(), w.dst.get()); err < 0) {
    return NlStatus(name + ": route " + spec.destination, err);
  }
  const std::string what = name + ": route " + spec.destination;
  if (int err = rtnl_route_add(sock, route.get(), NLM_F_REPLACE); err < 0) {
    return NlStatus("replacing " + what, err);
  }

  // The route just written reads back with these fields; others to the same
  // destination out of this link are leftovers of an earlier plan.
  RouteSpec written = spec;
  written.gateway = w.gateway ? FormatIp(w.gateway.get()) : "";
  written.metric = w.metric;
  const std::string dst_text =
      nl_addr_get_prefixlen(w.dst.get()) == 0
          ? "default"
          : FormatIp(w.dst.get()) + "/" + std::to_string(nl_addr_get_prefixlen(w.dst.get()));
  return ForEachOurRoute(sock, ifindex, [&](rtnl_route* old, const RouteSpec& have) {
    if (have.destination != dst_text || rtnl_route_get_family(old) != w.family ||
        (have.gateway == written.gateway && have.metric == written.metric)) {
      return Status::Ok();
    }
    const int err = rtnl_route_delete(sock, old, 0);
    if (err < 0 && err != -NLE_OBJ_NOTFOUND) return NlStatus("removing the old " + what, err);
    return Status::Ok();
  });
}

}  // namespace hai::netconf::nl
