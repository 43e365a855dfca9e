#include "netconf/hccl_env.h"

#include "lib/accel/tool_text.h"

namespace hai::netconf {

std::map<std::string, std::string> HcclEnv(const FabricPlan& plan) {
  return {{"HCCL_RDMA_TC", std::to_string(plan.HcclRdmaTc())},
          {"HCCL_RDMA_SL", std::to_string(plan.priority)}};
}

std::string RenderHcclEnv(const FabricPlan& plan) {
  std::string out =
      "# Written by hai-netconf from the fabric plan" +
      (plan.name.empty() ? std::string() : " '" + plan.name + "'") +
      ". Do not edit: change the plan.\n"
      "# HCCL_RDMA_TC = 4 x RoCE DSCP " + std::to_string(plan.dscp) +
      "; HCCL_RDMA_SL = PFC priority.\n";
  for (const auto& [key, value] : HcclEnv(plan)) out += key + "=" + value + "\n";
  return out;
}

std::map<std::string, std::string> ParseEnvFile(std::string_view text) {
  std::map<std::string, std::string> out;
  for (std::string_view line : accel::SplitLines(text)) {
    std::string_view t = accel::TrimText(line);
    size_t eq = t.find('=');
    if (t.empty() || t[0] == '#' || eq == std::string_view::npos) continue;
    out[std::string(accel::TrimText(t.substr(0, eq)))] = std::string(accel::TrimText(t.substr(eq + 1)));
  }
  return out;
}

}  // namespace hai::netconf
