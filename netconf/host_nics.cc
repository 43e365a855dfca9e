#include "netconf/host_nics.h"

#include <algorithm>

#include "netconf/host_dcb.h"
#include "netconf/ip_text.h"

namespace hai::netconf {
namespace {

std::string RouteText(const RouteSpec& r) {
  return r.destination + (r.gateway.empty() ? "" : " via " + r.gateway) + " metric " +
         std::to_string(r.metric);
}

// The kernel stores an IPv6 route asked for with metric 0 as 1024.
bool HasRoute(const LinkState& link, const RouteSpec& want) {
  const bool ipv6 = want.destination.find(':') != std::string::npos ||
                    want.gateway.find(':') != std::string::npos;
  return std::any_of(link.routes.begin(), link.routes.end(), [&](const RouteSpec& r) {
    return CanonicalDestination(r.destination) == want.destination &&
           CanonicalAddress(r.gateway) == want.gateway &&
           (r.metric == want.metric || (ipv6 && want.metric == 0 && r.metric == 1024));
  });
}

bool HasAddress(const LinkState& link, const std::string& cidr) {
  return std::any_of(link.addresses.begin(), link.addresses.end(), [&](const std::string& a) {
    auto parsed = ParseCidr(a);
    return parsed.ok() && parsed->Text() == cidr;
  });
}

void Step(Report* report, const std::string& item, const Status& st, const std::string& did) {
  if (st.ok()) report->actions.push_back(item + ": " + did);
  else report->failures.push_back(item + ": " + st.message());
}

void ApplyNic(const FabricPlan& plan, const HostNic& nic, HostNetwork& host, Report* report) {
  const std::string item = "host." + nic.name;
  auto link = host.GetLink(nic.name);
  if (!link.ok()) return report->failures.push_back(item + ": " + link.status().message());
  if (!link->exists) return report->failures.push_back(item + ": no such link");
  if (nic.mtu != 0 && link->mtu != nic.mtu)
    Step(report, item + ".mtu", host.SetMtu(nic.name, nic.mtu), "mtu " + std::to_string(nic.mtu));
  if (!link->up) Step(report, item + ".up", host.SetLinkUp(nic.name, true), "link up");
  for (const std::string& cidr : nic.addresses)
    if (!HasAddress(*link, cidr))
      Step(report, item + ".address", host.AddAddress(nic.name, cidr), "address " + cidr);
  for (const RouteSpec& route : nic.routes)
    if (!HasRoute(*link, route))
      Step(report, item + ".route", host.ReplaceRoute(nic.name, route), "route " + RouteText(route));
  if (!nic.dcb) return;
  DcbConfig want = RenderDcb(plan);
  auto have = host.GetDcb(nic.name);
  if (have.ok() && *have == want) return;
  if (!have.ok() && have.status().code() == Code::kFailedPrecondition)
    return report->failures.push_back(item + ".dcb: " + have.status().message() +
                                      " (set dcb = false for this NIC if it carries no RoCE)");
  Step(report, item + ".dcb", host.SetDcb(nic.name, want), "dcb " + DescribeDcb(want));
}

void VerifyNic(const FabricPlan& plan, const HostNic& nic, HostNetwork& host, Report* report) {
  const std::string item = "host." + nic.name;
  auto link = host.GetLink(nic.name);
  if (!link.ok()) return report->Diff(item, "readable", link.status().message());
  if (!link->exists) return report->Diff(item + ".link", "present", "no such link");
  if (!link->up) report->Diff(item + ".up", "up", "down");
  if (nic.mtu != 0 && link->mtu != nic.mtu)
    report->Diff(item + ".mtu", std::to_string(nic.mtu), std::to_string(link->mtu));
  for (const std::string& cidr : nic.addresses)
    if (!HasAddress(*link, cidr)) report->Diff(item + ".address", cidr, "absent");
  for (const RouteSpec& route : nic.routes)
    if (!HasRoute(*link, route)) report->Diff(item + ".route", RouteText(route), "absent");
  if (!nic.dcb) return;
  DcbConfig want = RenderDcb(plan);
  auto have = host.GetDcb(nic.name);
  if (!have.ok()) return report->Diff(item + ".dcb", DescribeDcb(want), have.status().message());
  if (!(*have == want)) report->Diff(item + ".dcb", DescribeDcb(want), DescribeDcb(*have));
}

}  // namespace

void ApplyHostNics(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                   Report* report) {
  if (node.nics.empty()) return;
  if (env.host == nullptr) return report->failures.push_back("host: no netlink backend");
  for (const HostNic& nic : node.nics) ApplyNic(plan, nic, *env.host, report);
}

void VerifyHostNics(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                    Report* report) {
  if (node.nics.empty()) return;
  if (env.host == nullptr) return report->Diff("host", "netlink backend", "none");
  for (const HostNic& nic : node.nics) VerifyNic(plan, nic, *env.host, report);
}

}  // namespace hai::netconf
