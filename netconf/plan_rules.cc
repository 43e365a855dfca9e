#include "netconf/plan_rules.h"

#include <map>
#include <set>

#include "netconf/toml_reader.h"

namespace hai::netconf {
namespace {

std::string N(int v) { return std::to_string(v); }

Status CheckRoce(const FabricPlan& p) {
  if (p.trust != "dscp")
    return PlanError(p.source, "roce.trust",
                     "'" + p.trust + "': only dscp is supported (the plan classifies by DSCP "
                     "end to end, §3.1)");
  if (p.cnp_dscp == p.dscp)
    return PlanError(p.source, "roce.cnp_dscp",
                     "CNP DSCP " + N(p.cnp_dscp) + " equals roce.dscp: congestion notifications "
                     "would queue behind the data they throttle");
  if (p.npu_prio_tc[p.priority] != p.npu_tc)
    return PlanError(p.source, "npu.prio_tc",
                     "priority " + N(p.priority) + " maps to TC " + N(p.npu_prio_tc[p.priority]) +
                         " but DSCP " + N(p.dscp) + " goes to npu.roce_tc " + N(p.npu_tc) +
                         ": RoCE would be on two traffic classes");
  return Status::Ok();
}

Status CheckTcCfg(const FabricPlan& p) {
  if (p.tc_buffer_sizes.empty() != p.tc_waterlines.empty())
    return PlanError(p.source, p.tc_buffer_sizes.empty() ? "npu.tc_buffer_sizes" : "npu.tc_waterlines",
                     "-tc_cfg needs both npu.tc_buffer_sizes and npu.tc_waterlines");
  if (p.tc_buffer_sizes.empty()) return Status::Ok();
  if (p.tc_buffer_sizes.size() != 8)
    return PlanError(p.source, "npu.tc_buffer_sizes", "needs 8 values, got " + N(p.tc_buffer_sizes.size()));
  if (p.tc_waterlines.size() != 8)
    return PlanError(p.source, "npu.tc_waterlines", "needs 8 values, got " + N(p.tc_waterlines.size()));
  long total = 0;
  for (int s : p.tc_buffer_sizes) {
    if (s != 0 && s < 6272)
      return PlanError(p.source, "npu.tc_buffer_sizes",
                       N(s) + " is below 6272, the least non-zero TC buffer (§1.3)");
    total += s;
  }
  if (total >= 1797120)
    return PlanError(p.source, "npu.tc_buffer_sizes",
                     "total " + std::to_string(total) + " must be below 1797120 (§1.3)");
  if (p.tc_buffer_sizes[p.npu_tc] == 0)
    return PlanError(p.source, "npu.tc_buffer_sizes",
                     "the RoCE TC " + N(p.npu_tc) + " has no buffer: PFC could not hold traffic");
  return Status::Ok();
}

Status CheckEts(const FabricPlan& p) {
  int sum = 0;
  bool any_ets = false;
  for (int tc = 0; tc < 8; ++tc) {
    if (p.host_tc_tsa[tc] == 2) {
      sum += p.host_tc_bw[tc];
      any_ets = true;
    } else if (p.host_tc_bw[tc] != 0) {
      return PlanError(p.source, "host.tc_bw",
                       "TC " + N(tc) + " is strict but has an ETS share of " +
                           N(p.host_tc_bw[tc]) + "%");
    }
  }
  if (any_ets && sum != 100)
    return PlanError(p.source, "host.tc_bw", "ETS shares sum to " + N(sum) + "%, not 100%");
  int roce_tc = p.host_prio_tc[p.priority];
  if (p.host_tc_tsa[roce_tc] == 2 && p.host_tc_bw[roce_tc] == 0)
    return PlanError(p.source, "host.tc_bw",
                     "TC " + N(roce_tc) + " carries RoCE priority " + N(p.priority) +
                         " but has a 0% ETS share");
  return Status::Ok();
}

Status CheckNodes(const FabricPlan& p) {
  std::set<std::string> names;
  std::map<std::string, std::string> addresses;  // address → key that has it
  for (size_t n = 0; n < p.nodes.size(); ++n) {
    const NodePlan& node = p.nodes[n];
    const std::string nk = "node[" + N(n) + "]";
    if (!names.insert(node.name).second)
      return PlanError(p.source, nk + ".name", "node '" + node.name + "' appears twice");
    std::set<int> devices;
    for (size_t i = 0; i < node.npu_ports.size(); ++i) {
      const NpuPort& port = node.npu_ports[i];
      const std::string pk = nk + ".npu[" + N(i) + "]";
      if (!devices.insert(port.device).second)
        return PlanError(p.source, pk + ".device",
                         "NPU device " + N(port.device) + " appears twice on node " + node.name);
      auto [it, fresh] = addresses.emplace(port.address, pk + ".address");
      if (!fresh)
        return PlanError(p.source, pk + ".address",
                         port.address + " is already used by " + it->second);
    }
    std::set<std::string> nics;
    for (size_t i = 0; i < node.nics.size(); ++i) {
      const std::string ik = nk + ".nic[" + N(i) + "]";
      if (!nics.insert(node.nics[i].name).second)
        return PlanError(p.source, ik + ".name",
                         "NIC " + node.nics[i].name + " appears twice on node " + node.name);
      for (const std::string& cidr : node.nics[i].addresses) {
        std::string address = cidr.substr(0, cidr.find('/'));
        auto [it, fresh] = addresses.emplace(address, ik + ".addresses");
        if (!fresh)
          return PlanError(p.source, ik + ".addresses",
                           address + " is already used by " + it->second);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckPlanRules(const FabricPlan& plan) {
  HAI_RETURN_IF_ERROR(CheckRoce(plan));
  HAI_RETURN_IF_ERROR(CheckTcCfg(plan));
  HAI_RETURN_IF_ERROR(CheckEts(plan));
  return CheckNodes(plan);
}

}  // namespace hai::netconf
