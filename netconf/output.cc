#include "netconf/output.h"

#include <nlohmann/json.hpp>

#include "netconf/file_text.h"
#include "netconf/hccl_env.h"
#include "netconf/hccn_commands.h"
#include "netconf/hccn_conf.h"
#include "netconf/host_dcb.h"
#include "netconf/switch_template.h"

namespace hai::netconf {
namespace {

struct Intent {
  std::vector<std::pair<std::string, std::string>> commands;  // item, command line
  std::string hccn_conf;
  std::string hccl_env;
  std::vector<std::pair<std::string, std::string>> host;      // item, setting
  std::vector<std::pair<std::string, std::string>> knobs;     // path, value
};

Intent BuildIntent(const FabricPlan& plan, const NodePlan& node, const Environment& env) {
  Intent in;
  HccnConf conf;
  for (const NpuPort& port : node.npu_ports) {
    for (const HccnCommand& c : RenderHccnCommands(plan, port, env.hccn_tool))
      in.commands.emplace_back(c.item, accel::JoinArgv(c.argv) + (c.tolerated ? "  # failure tolerated" : ""));
    for (const auto& [k, v] : HccnConfKeys(port)) conf.Set(port.device, k, v);
  }
  in.hccn_conf = conf.Render();
  in.hccl_env = RenderHcclEnv(plan);
  for (const HostNic& nic : node.nics) {
    const std::string item = "host." + nic.name;
    in.host.emplace_back(item + ".up", "true");
    if (nic.mtu) in.host.emplace_back(item + ".mtu", std::to_string(nic.mtu));
    for (const std::string& a : nic.addresses) in.host.emplace_back(item + ".address", a);
    for (const RouteSpec& r : nic.routes)
      in.host.emplace_back(item + ".route", r.destination + (r.gateway.empty() ? "" : " via " + r.gateway) +
                                                " metric " + std::to_string(r.metric));
    in.host.emplace_back(item + ".dcb", nic.dcb ? DescribeDcb(RenderDcb(plan)) : "off (dcb = false)");
    if (nic.ecn != EcnMode::kOff) {
      const std::string dir = env.sysfs_root + "/class/net/" + nic.name + "/ecn";
      const std::string p = std::to_string(plan.priority);
      std::string note = nic.ecn == EcnMode::kOptional ? " (if present)" : "";
      in.knobs.emplace_back(dir + "/roce_np/enable/" + p, "1" + note);
      in.knobs.emplace_back(dir + "/roce_rp/enable/" + p, "1" + note);
      in.knobs.emplace_back(dir + "/roce_np/cnp_dscp", std::to_string(plan.cnp_dscp) + " (if present)");
    }
    if (!nic.hca.empty()) {
      const std::string port = env.configfs_root + "/rdma_cm/" + nic.hca + "/ports/" +
                               std::to_string(nic.hca_port);
      in.knobs.emplace_back(port + "/default_roce_mode", "RoCE v2");
      in.knobs.emplace_back(port + "/default_roce_tos", std::to_string(plan.RoceTos()));
    }
  }
  return in;
}

}  // namespace

std::string RenderIntentHuman(const FabricPlan& plan, const NodePlan& node, const Environment& env) {
  Intent in = BuildIntent(plan, node, env);
  std::string out = "# plan " + plan.name + " for node " + node.name + " (" + plan.source + ")\n";
  out += "\n## hccn_tool commands (NPU ports)\n";
  for (const auto& [item, cmd] : in.commands) out += cmd + "\n";
  out += "\n## " + UnderRoot(env.root, kHccnConfPath) + " (keys hai-netconf owns; other lines kept)\n" +
         in.hccn_conf;
  out += "\n## " + UnderRoot(env.root, kHcclEnvPath) + "\n" + in.hccl_env;
  out += "\n## host NICs (netlink)\n";
  for (const auto& [item, v] : in.host) out += item + " = " + v + "\n";
  out += "\n## sysfs / configfs\n";
  for (const auto& [path, v] : in.knobs) out += path + " = " + v + "\n";
  out += "\n## switch template (for the network team)\n" + RenderSwitchTemplate(plan);
  return out;
}

std::string RenderIntentJson(const FabricPlan& plan, const NodePlan& node, const Environment& env) {
  Intent in = BuildIntent(plan, node, env);
  nlohmann::json j;
  j["plan"] = plan.name;
  j["node"] = node.name;
  j["hccn_commands"] = nlohmann::json::array();
  for (const auto& [item, cmd] : in.commands) j["hccn_commands"].push_back({{"item", item}, {"command", cmd}});
  j["hccn_conf"] = in.hccn_conf;
  j["hccl_env"] = HcclEnv(plan);
  j["host"] = nlohmann::json::array();
  for (const auto& [item, v] : in.host) j["host"].push_back({{"item", item}, {"value", v}});
  j["knobs"] = nlohmann::json::array();
  for (const auto& [path, v] : in.knobs) j["knobs"].push_back({{"path", path}, {"value", v}});
  j["switch_template"] = RenderSwitchTemplate(plan);
  return j.dump(2) + "\n";
}

std::string RenderReportHuman(const Report& r, const std::string& verb) {
  std::string out;
  for (const std::string& a : r.actions) out += "changed  " + a + "\n";
  for (const std::string& n : r.notes) out += "note     " + n + "\n";
  for (const std::string& f : r.failures) out += "FAILED   " + f + "\n";
  for (const DiffLine& d : r.diffs)
    out += "DIFF     " + d.item + ": expected " + d.expected + ", actual " + d.actual + "\n";
  bool ok = r.failures.empty() && r.diffs.empty();
  out += verb + ": " + (ok ? "ok" : "NOT ok") + " (" + std::to_string(r.actions.size()) +
         " changes, " + std::to_string(r.failures.size()) + " failures, " +
         std::to_string(r.diffs.size()) + " differences)\n";
  return out;
}

std::string RenderReportJson(const Report& r, const std::string& verb, const std::string& node) {
  nlohmann::json j;
  j["tool"] = "hai-netconf";
  j["command"] = verb;
  j["node"] = node;
  j["ok"] = r.failures.empty() && r.diffs.empty();
  j["actions"] = r.actions;
  j["failures"] = r.failures;
  j["notes"] = r.notes;
  j["diff"] = nlohmann::json::array();
  for (const DiffLine& d : r.diffs)
    j["diff"].push_back({{"item", d.item}, {"expected", d.expected}, {"actual", d.actual}});
  return j.dump(2) + "\n";
}

}  // namespace hai::netconf
