#include "netconf/ecn_sysfs.h"

#include "lib/accel/tool_text.h"
#include "netconf/file_text.h"

namespace hai::netconf {
namespace {

struct Knob {
  std::string path;
  std::string value;
  bool optional_file;  // cnp_dscp: older drivers lack it
};

std::string EcnDir(const Environment& env, const HostNic& nic) {
  return env.sysfs_root + "/class/net/" + nic.name + "/ecn";
}

std::vector<Knob> Knobs(const FabricPlan& plan, const std::string& dir) {
  const std::string prio = std::to_string(plan.priority);
  return {{dir + "/roce_np/enable/" + prio, "1", false},
          {dir + "/roce_rp/enable/" + prio, "1", false},
          {dir + "/roce_np/cnp_dscp", std::to_string(plan.cnp_dscp), true}};
}

// Reports an ECN knob the device lacks; true when that is an error.
bool Unsupported(const HostNic& nic, const std::string& path, Report* report, bool verify) {
  std::string item = "host." + nic.name + ".ecn";
  std::string what = "not supported by this device (no " + path + ")";
  if (nic.ecn == EcnMode::kOptional) {
    if (!verify) report->notes.push_back(item + ": " + what + "; ECN is optional for this NIC");
    return false;
  }
  if (verify) report->Diff(item, "enabled on priority", what);
  else report->failures.push_back(item + ": " + what + " and the plan says ecn = \"required\"");
  return true;
}

}  // namespace

void ApplyEcn(const FabricPlan& plan, const NodePlan& node, const Environment& env, Report* report) {
  for (const HostNic& nic : node.nics) {
    if (nic.ecn == EcnMode::kOff) continue;
    const std::string dir = EcnDir(env, nic);
    if (!PathExists(dir)) {
      Unsupported(nic, dir, report, false);
      continue;
    }
    for (const Knob& k : Knobs(plan, dir)) {
      if (!PathExists(k.path)) {
        if (!k.optional_file) Unsupported(nic, k.path, report, false);
        continue;
      }
      Status st = WriteAttribute(k.path, k.value);
      if (st.ok()) report->actions.push_back("host." + nic.name + ".ecn: " + k.path + " = " + k.value);
      else report->failures.push_back("host." + nic.name + ".ecn: " + st.message());
    }
  }
}

void VerifyEcn(const FabricPlan& plan, const NodePlan& node, const Environment& env,
               Report* report) {
  for (const HostNic& nic : node.nics) {
    if (nic.ecn == EcnMode::kOff) continue;
    const std::string dir = EcnDir(env, nic);
    if (!PathExists(dir)) {
      Unsupported(nic, dir, report, true);
      continue;
    }
    for (const Knob& k : Knobs(plan, dir)) {
      if (!PathExists(k.path)) {
        if (!k.optional_file) Unsupported(nic, k.path, report, true);
        continue;
      }
      auto text = ReadText(k.path);
      std::string actual = text.ok() ? std::string(accel::TrimText(*text)) : text.status().message();
      if (actual != k.value) report->Diff("sysfs." + k.path.substr(env.sysfs_root.size() + 1), k.value, actual);
    }
  }
}

}  // namespace hai::netconf
