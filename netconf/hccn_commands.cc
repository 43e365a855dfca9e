#include "netconf/hccn_commands.h"

namespace hai::netconf {

std::string JoinInts(const std::vector<int>& values, char sep) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += sep;
    out += std::to_string(values[i]);
  }
  return out;
}

std::string PfcBitmapText(const FabricPlan& plan) {
  std::vector<int> bits(8, 0);
  bits[plan.priority] = 1;
  return JoinInts(bits);
}

std::vector<HccnCommand> RenderHccnCommands(const FabricPlan& plan, const NpuPort& port,
                                            const std::string& tool) {
  const std::string dev = std::to_string(port.device);
  const std::string item = "npu." + dev + ".";
  std::vector<HccnCommand> out;
  auto add = [&](const std::string& what, std::vector<std::string> args, bool tolerated = false) {
    std::vector<std::string> argv = {tool, "-i", dev};
    argv.insert(argv.end(), args.begin(), args.end());
    out.push_back({item + what, std::move(argv), tolerated});
  };
  add("ip", {"-ip", "-s", "address", port.address, "netmask", port.netmask});
  if (!port.gateway.empty()) add("gateway", {"-gateway", "-s", "gateway", port.gateway});
  if (!port.netdetect.empty()) add("netdetect", {"-netdetect", "-s", "address", port.netdetect});
  add("mtu", {"-mtu", "-s", "size", std::to_string(plan.npu_mtu)});
  add("dscp_to_tc",
      {"-dscp_to_tc", "-s", "dscp", std::to_string(plan.dscp), "tc", std::to_string(plan.npu_tc)});
  add("prio_tc", {"-prio_tc", "-s", "map",
                  JoinInts({plan.npu_prio_tc.begin(), plan.npu_prio_tc.end()})});
  add("pfc", {"-pfc", "-s", "bitmap", PfcBitmapText(plan)});
  if (!plan.tc_buffer_sizes.empty())
    add("tc_cfg", {"-tc_cfg", "-s", "size", JoinInts(plan.tc_buffer_sizes), "waterline",
                   JoinInts(plan.tc_waterlines)});
  const PfcStorm& s = plan.pfc_storm;
  std::vector<std::string> storm = {"-pfc_storm", "-s", "mode", std::to_string(s.mode)};
  for (auto [name, value] : {std::pair{"close_time", s.close_time},
                             {"detect_period", s.detect_period},
                             {"warn_thrd", s.warn_threshold},
                             {"err_thrd", s.error_threshold}}) {
    if (!value) continue;
    storm.push_back(name);
    storm.push_back(std::to_string(*value));
  }
  add("pfc_storm", storm);
  add("dcqcn", {"-dcqcn", "-s", "cnp_dscp", std::to_string(plan.cnp_dscp)}, !plan.dcqcn_required);
  return out;
}

}  // namespace hai::netconf
