#include "netconf/host_dcb.h"

namespace hai::netconf {

DcbConfig RenderDcb(const FabricPlan& plan) {
  DcbConfig dcb;
  for (int i = 0; i < 8; ++i) {
    dcb.prio_tc[i] = static_cast<uint8_t>(plan.host_prio_tc[i]);
    dcb.tc_tsa[i] = static_cast<uint8_t>(plan.host_tc_tsa[i]);
    dcb.tc_bw[i] = static_cast<uint8_t>(plan.host_tc_bw[i]);
  }
  dcb.pfc_enabled = plan.PfcBitmap();
  dcb.dscp_prio = {{static_cast<uint8_t>(plan.dscp), static_cast<uint8_t>(plan.priority)}};
  return dcb;
}

std::string DescribeDcb(const DcbConfig& dcb) {
  auto list = [](auto&& f) {
    std::string s;
    for (int i = 0; i < 8; ++i) s += (i ? "," : "") + f(i);
    return s;
  };
  std::string out = "pfc " + list([&](int p) { return std::to_string((dcb.pfc_enabled >> p) & 1); });
  out += " prio-tc " + list([&](int p) { return std::to_string(dcb.prio_tc[p]); });
  out += " tc-tsa " + list([&](int t) {
    return std::string(dcb.tc_tsa[t] == 2 ? "ets" : dcb.tc_tsa[t] == 0 ? "strict" : "other");
  });
  out += " tc-bw " + list([&](int t) { return std::to_string(dcb.tc_bw[t]); });
  out += " app";
  if (dcb.dscp_prio.empty()) out += " none";
  for (auto [dscp, prio] : dcb.dscp_prio) out += " " + std::to_string(dscp) + ":" + std::to_string(prio);
  return out;
}

}  // namespace hai::netconf
