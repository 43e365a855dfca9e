#include "netconf/npu_ports.h"

#include "netconf/file_text.h"
#include "netconf/hccn_commands.h"
#include "netconf/hccn_conf.h"
#include "netconf/hccn_readback.h"

namespace hai::netconf {
namespace {

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

bool ToolMissing(const Status& st) {
  return st.code() == Code::kUnavailable && st.message().find("not found") != std::string::npos;
}

// Runs a get command; nullopt (with a diff line) when it could not run.
std::optional<std::string> Get(const Environment& env, int device, const std::string& cmd,
                               const std::string& item, Report* report) {
  std::vector<std::string> argv = {env.hccn_tool, "-i", std::to_string(device), cmd, "-g"};
  auto out = env.runner->Run(argv, env.timeout);
  if (!out.ok()) {
    report->Diff(item, "readable", out.status().message());
    return std::nullopt;
  }
  if (out->exit_code != 0) {
    report->Diff(item, "readable", accel::ToolFailed(argv, *out).message());
    return std::nullopt;
  }
  return out->stdout_text;
}

void Compare(Report* report, const std::string& item, const std::string& expected,
             const std::optional<std::string>& actual) {
  std::string a = actual.value_or("unparsed output");
  if (a != expected) report->Diff(item, expected, a);
}

std::string Ints8(const std::array<int, 8>& v) { return JoinInts({v.begin(), v.end()}); }

void VerifyPort(const FabricPlan& plan, const NpuPort& port, const Environment& env,
                Report* report) {
  const std::string p = "npu." + std::to_string(port.device) + ".";
  if (auto text = Get(env, port.device, "-ip", p + "ip", report)) {
    auto ip = ParseHccnIp(*text);
    Compare(report, p + "address", port.address,
            ip ? std::optional(ip->address) : std::nullopt);
    Compare(report, p + "netmask", port.netmask,
            ip ? std::optional(ip->netmask) : std::nullopt);
  }
  if (!port.gateway.empty())
    if (auto text = Get(env, port.device, "-gateway", p + "gateway", report))
      Compare(report, p + "gateway", port.gateway, ParseHccnAddress(*text));
  if (!port.netdetect.empty())
    if (auto text = Get(env, port.device, "-netdetect", p + "netdetect", report))
      Compare(report, p + "netdetect", port.netdetect, ParseHccnAddress(*text));
  if (auto text = Get(env, port.device, "-mtu", p + "mtu", report)) {
    auto mtu = ParseHccnMtu(*text);
    Compare(report, p + "mtu", std::to_string(plan.npu_mtu),
            mtu ? std::optional(std::to_string(*mtu)) : std::nullopt);
  }
  if (auto text = Get(env, port.device, "-dscp_to_tc", p + "dscp_to_tc", report)) {
    auto table = ParseHccnDscpToTc(*text);
    auto it = table.find(plan.dscp);
    Compare(report, p + "dscp_to_tc", std::to_string(plan.dscp) + ":" + std::to_string(plan.npu_tc),
            it == table.end() ? std::nullopt
                              : std::optional(std::to_string(it->first) + ":" +
                                              std::to_string(it->second)));
  }
  if (auto text = Get(env, port.device, "-prio_tc", p + "prio_tc", report)) {
    auto map = ParseHccnPrioTc(*text);
    Compare(report, p + "prio_tc", Ints8(plan.npu_prio_tc),
            map ? std::optional(Ints8(*map)) : std::nullopt);
  }
  if (auto text = Get(env, port.device, "-pfc", p + "pfc", report)) {
    auto bitmap = ParseHccnPfc(*text);
    std::optional<std::string> actual;
    if (bitmap) {
      std::array<int, 8> bits{};
      for (int i = 0; i < 8; ++i) bits[i] = (*bitmap >> i) & 1;
      actual = Ints8(bits);
    }
    Compare(report, p + "pfc", PfcBitmapText(plan), actual);
  }
}

}  // namespace

void ApplyNpuPorts(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                   Report* report) {
  if (node.npu_ports.empty()) return;
  bool tool_missing = false;
  for (const NpuPort& port : node.npu_ports) {
    for (const HccnCommand& cmd : RenderHccnCommands(plan, port, env.hccn_tool)) {
      auto out = env.runner->Run(cmd.argv, env.timeout);
      if (!out.ok() && ToolMissing(out.status())) {
        tool_missing = true;
        break;
      }
      std::string error = !out.ok()           ? out.status().message()
                          : out->exit_code != 0 ? accel::ToolFailed(cmd.argv, *out).message()
                                               : "";
      if (error.empty()) {
        report->actions.push_back(cmd.item + ": " + accel::JoinArgv(cmd.argv));
      } else if (cmd.tolerated) {
        report->notes.push_back(cmd.item + ": " + FirstLine(error) +
                                " (tolerated: -dcqcn is in hccn_tool's extended build only; "
                                "set npu.dcqcn_required = true to make it an error)");
      } else {
        report->failures.push_back(cmd.item + ": " + FirstLine(error));
      }
    }
    if (tool_missing) break;
  }
  if (tool_missing)
    report->failures.push_back("npu: hccn_tool not found at " + env.hccn_tool +
                               " (is the Ascend driver installed? --hccn-tool PATH)");

  // hccn_tool's own set commands write their keys into /etc/hccn.conf; ours
  // (address, netmask, gateway, netdetect) are written here as well so the
  // file is right even where the tool is missing or a set command failed.
  const std::string path = UnderRoot(env.root, kHccnConfPath);
  auto text = ReadText(path);
  if (!text.ok() && text.status().code() != Code::kNotFound) {
    report->failures.push_back("file " + path + ": " + text.status().message());
    return;
  }
  std::string before = text.ok() ? *text : "";
  HccnConf conf = HccnConf::Parse(before);
  for (const NpuPort& port : node.npu_ports)
    for (const auto& [key, value] : HccnConfKeys(port)) conf.Set(port.device, key, value);
  if (conf.Render() == before) return;
  Status st = WriteFileAtomic(path, conf.Render(), 0644);
  if (st.ok()) report->actions.push_back("file " + path + ": NPU addressing written");
  else report->failures.push_back("file " + path + ": " + st.message());
}

void VerifyNpuPorts(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                    Report* report) {
  if (node.npu_ports.empty()) return;
  // One probe first: without the tool every port would repeat the same line.
  auto probe = env.runner->Run({env.hccn_tool, "-i", std::to_string(node.npu_ports[0].device),
                                "-ip", "-g"},
                               env.timeout);
  if (!probe.ok() && ToolMissing(probe.status())) {
    report->Diff("npu.hccn_tool", "present at " + env.hccn_tool, "not found");
  } else {
    for (const NpuPort& port : node.npu_ports) VerifyPort(plan, port, env, report);
  }
  const std::string path = UnderRoot(env.root, kHccnConfPath);
  auto text = ReadText(path);
  HccnConf conf = HccnConf::Parse(text.ok() ? *text : "");
  for (const NpuPort& port : node.npu_ports)
    for (const auto& [key, value] : HccnConfKeys(port)) {
      std::string name = key + "_" + std::to_string(port.device);
      Compare(report, "file." + std::string(kHccnConfPath) + "." + name, value,
              text.ok() ? conf.Get(port.device, key).value_or("absent")
                        : std::optional<std::string>("file missing"));
    }
}

}  // namespace hai::netconf
