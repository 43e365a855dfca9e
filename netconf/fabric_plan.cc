#include "netconf/fabric_plan.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "lib/config/toml_parse.h"
#include "netconf/ip_text.h"
#include "netconf/plan_rules.h"
#include "netconf/toml_reader.h"

namespace hai::netconf {
namespace {

std::string Indexed(const std::string& base, size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

void ReadEcn(TomlReader& r, std::string_view key, EcnMode* out) {
  std::string text(EcnModeName(*out));
  r.String(key, &text);
  if (text == "off") *out = EcnMode::kOff;
  else if (text == "optional") *out = EcnMode::kOptional;
  else if (text == "required") *out = EcnMode::kRequired;
  else r.Fail(key, "'" + text + "' is not one of off, optional, required");
}

void ReadRoce(const toml::table* t, FabricPlan* plan, Status* error) {
  TomlReader r(t, "roce", plan->source, error);
  r.Int("dscp", &plan->dscp, 0, 63);
  r.Int("priority", &plan->priority, 0, 7);
  r.Int("cnp_dscp", &plan->cnp_dscp, 0, 63);
  r.String("trust", &plan->trust);
  r.Bool("tos_ect", &plan->tos_ect);
  r.Finish();
}

void ReadPfc(const toml::table* t, FabricPlan* plan, Status* error) {
  TomlReader r(t, "pfc", plan->source, error);
  // The one lossless priority; written out for the reader of the plan, it
  // must be the priority the RoCE DSCP maps to.
  int priority = plan->priority;
  r.Int("priority", &priority, 0, 7);
  if (priority != plan->priority)
    r.Fail("priority", "PFC on priority " + std::to_string(priority) + " but roce.priority is " +
                           std::to_string(plan->priority) + ": RoCE would be on two priorities");
  PfcStorm& s = plan->pfc_storm;
  r.Int("storm_mode", &s.mode, 0, 2);
  r.OptionalInt("storm_close_time", &s.close_time, 1, 1000000);
  r.OptionalInt("storm_detect_period", &s.detect_period, 1, 1000000);
  r.OptionalInt("storm_warn_threshold", &s.warn_threshold, 40, 80);
  r.OptionalInt("storm_error_threshold", &s.error_threshold, 60, 100);
  r.Finish();
}

void ReadNpu(const toml::table* t, FabricPlan* plan, Status* error) {
  TomlReader r(t, "npu", plan->source, error);
  r.Int("mtu", &plan->npu_mtu, kNpuMtuMin, kNpuMtuMax);
  r.Int("roce_tc", &plan->npu_tc, 0, kNpuMaxTc);
  r.Ints8("prio_tc", &plan->npu_prio_tc, 0, kNpuMaxTc);
  r.Ints("tc_buffer_sizes", &plan->tc_buffer_sizes, 0, 1797119);
  r.Ints("tc_waterlines", &plan->tc_waterlines, 0, 1797119);
  r.Bool("dcqcn_required", &plan->dcqcn_required);
  r.Finish();
}

void ReadHost(const toml::table* t, FabricPlan* plan, Status* error) {
  TomlReader r(t, "host", plan->source, error);
  r.Int("mtu", &plan->host_mtu, kHostMtuMin, kHostMtuMax);
  r.Ints8("prio_tc", &plan->host_prio_tc, 0, 7);
  r.Ints8("tc_bw", &plan->host_tc_bw, 0, 100);
  std::vector<std::string> tsa;
  bool has_tsa = r.Has("tc_tsa");
  r.Strings("tc_tsa", &tsa);
  if (has_tsa && error->ok() && tsa.size() != 8)
    r.Fail("tc_tsa", "needs 8 values (one per TC), got " + std::to_string(tsa.size()));
  for (size_t i = 0; has_tsa && error->ok() && i < tsa.size(); ++i) {
    if (tsa[i] == "ets") plan->host_tc_tsa[i] = 2;
    else if (tsa[i] == "strict") plan->host_tc_tsa[i] = 0;
    else r.Fail("tc_tsa", "'" + tsa[i] + "' is not ets or strict");
  }
  ReadEcn(r, "ecn", &plan->host_ecn);
  r.Finish();
}

void ReadNpuPort(const toml::table* t, const std::string& path, FabricPlan* plan, NpuPort* port,
                 Status* error) {
  TomlReader r(t, path, plan->source, error);
  if (!r.Has("device")) r.Fail("device", "missing (the NPU's phy id for hccn_tool -i)");
  r.Int("device", &port->device, 0, 15);
  std::string address;
  r.String("address", &address);
  if (error->ok()) {
    auto cidr = ParseCidr(address);
    if (!cidr.ok() || cidr->ipv6 || cidr->prefix < 1 || cidr->prefix > 31) {
      r.Fail("address", "'" + address + "' is not an IPv4 address/prefix (1–31), e.g. 10.20.1.11/24");
    } else {
      port->address = cidr->address;
      port->prefix = cidr->prefix;
      port->netmask = Ipv4Netmask(cidr->prefix);
    }
  }
  for (auto [key, out] : {std::pair{"gateway", &port->gateway}, {"netdetect", &port->netdetect}}) {
    std::string text;
    r.String(key, &text);
    if (!error->ok() || text.empty()) continue;
    bool v6 = false;
    *out = CanonicalAddress(text, &v6);
    if (out->empty() || v6) r.Fail(key, "'" + text + "' is not an IPv4 address");
  }
  if (error->ok() && !port->gateway.empty() &&
      !SameIpv4Network({port->address, port->prefix, false}, port->gateway))
    r.Fail("gateway", port->gateway + " is not in " + port->address + "/" +
                          std::to_string(port->prefix));
  if (port->netdetect.empty()) port->netdetect = port->gateway;
  r.Finish();
}

void ReadRoute(const toml::table* t, const std::string& path, const std::string& source,
               RouteSpec* route, Status* error) {
  TomlReader r(t, path, source, error);
  std::string dest, gateway;
  r.String("destination", &dest);
  r.String("gateway", &gateway);
  r.Int("metric", &route->metric, 0, 65535);
  r.Finish();
  if (!error->ok()) return;
  route->destination = CanonicalDestination(dest);
  if (route->destination.empty())
    return r.Fail("destination", "'" + dest + "' is not 'default' or a network CIDR");
  if (!gateway.empty()) {
    route->gateway = CanonicalAddress(gateway);
    if (route->gateway.empty()) r.Fail("gateway", "'" + gateway + "' is not an address");
  }
}

void ReadNic(const toml::table* t, const std::string& path, FabricPlan* plan, HostNic* nic,
             Status* error) {
  TomlReader r(t, path, plan->source, error);
  r.String("name", &nic->name);
  if (error->ok() && (nic->name.empty() || nic->name.size() > 15 ||
                      nic->name.find_first_of("/ ") != std::string::npos))
    r.Fail("name", "'" + nic->name + "' is not an interface name (1–15 characters)");
  nic->mtu = plan->host_mtu;
  r.Int("mtu", &nic->mtu, kHostMtuMin, kHostMtuMax);
  std::vector<std::string> addresses;
  r.Strings("addresses", &addresses);
  for (const std::string& a : addresses) {
    auto cidr = ParseCidr(a);
    if (!cidr.ok()) {
      r.Fail("addresses", cidr.status().message());
      break;
    }
    nic->addresses.push_back(cidr->Text());
  }
  std::sort(nic->addresses.begin(), nic->addresses.end());
  std::vector<const toml::table*> routes = r.Tables("routes");
  for (size_t i = 0; i < routes.size() && error->ok(); ++i) {
    RouteSpec route;
    ReadRoute(routes[i], Indexed(r.Path("routes"), i), plan->source, &route, error);
    nic->routes.push_back(route);
  }
  r.Bool("dcb", &nic->dcb);
  nic->ecn = plan->host_ecn;
  ReadEcn(r, "ecn", &nic->ecn);
  r.String("hca", &nic->hca);
  r.Int("hca_port", &nic->hca_port, 1, 255);
  r.Finish();
}

void ReadNode(const toml::table* t, const std::string& path, FabricPlan* plan, NodePlan* node,
              Status* error) {
  TomlReader r(t, path, plan->source, error);
  r.String("name", &node->name);
  if (error->ok() && node->name.empty()) r.Fail("name", "missing (the node's hostname)");
  std::vector<const toml::table*> npus = r.Tables("npu");
  for (size_t i = 0; i < npus.size() && error->ok(); ++i) {
    NpuPort port;
    ReadNpuPort(npus[i], Indexed(r.Path("npu"), i), plan, &port, error);
    node->npu_ports.push_back(port);
  }
  std::vector<const toml::table*> nics = r.Tables("nic");
  for (size_t i = 0; i < nics.size() && error->ok(); ++i) {
    HostNic nic;
    ReadNic(nics[i], Indexed(r.Path("nic"), i), plan, &nic, error);
    node->nics.push_back(nic);
  }
  r.Finish();
}

}  // namespace

std::string_view EcnModeName(EcnMode mode) {
  switch (mode) {
    case EcnMode::kOff: return "off";
    case EcnMode::kOptional: return "optional";
    case EcnMode::kRequired: return "required";
  }
  return "?";
}

const NodePlan* FabricPlan::FindNode(std::string_view node) const {
  for (const NodePlan& n : nodes)
    if (n.name == node) return &n;
  return nullptr;
}

Result<FabricPlan> ParseFabricPlan(std::string_view text, const std::string& source) {
  HAI_ASSIGN_OR_RETURN(toml::table root, config::ParseToml(text, source));
  FabricPlan plan;
  plan.source = source;
  Status error;
  TomlReader top(&root, "", source, &error);
  if (const toml::table* t = top.Table("plan")) {
    TomlReader r(t, "plan", source, &error);
    std::string description;
    r.String("name", &plan.name);
    r.String("description", &description);
    r.Finish();
  }
  // [roce] first: [pfc] and the rules compare against its priority.
  const toml::table* roce = top.Table("roce");
  if (roce == nullptr) top.Fail("roce", "missing (the RoCE DSCP and priority)");
  if (error.ok()) ReadRoce(roce, &plan, &error);
  if (error.ok()) ReadPfc(top.Table("pfc"), &plan, &error);
  if (error.ok()) ReadNpu(top.Table("npu"), &plan, &error);
  if (error.ok()) ReadHost(top.Table("host"), &plan, &error);
  std::vector<const toml::table*> nodes = top.Tables("node");
  for (size_t i = 0; i < nodes.size() && error.ok(); ++i) {
    NodePlan node;
    ReadNode(nodes[i], Indexed("node", i), &plan, &node, &error);
    plan.nodes.push_back(std::move(node));
  }
  top.Finish();
  if (!error.ok()) return error;
  HAI_RETURN_IF_ERROR(CheckPlanRules(plan));
  return plan;
}

Result<FabricPlan> LoadFabricPlan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read plan " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseFabricPlan(text.str(), path);
}

}  // namespace hai::netconf
