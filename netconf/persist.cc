#include "netconf/persist.h"

#include "netconf/file_text.h"

namespace hai::netconf {

std::string RenderNetconfUnit() {
  return R"(# Written by `hai-netconf persist`. Change /etc/hai/fabric.toml (the plan), not this file.
# NPU port settings survive a reboot in /etc/hccn.conf, but host NIC DCB/ECN
# and rdma_cm's ToS do not (mlnx_qos and dcb settings are lost on reboot or
# driver reload, and NetworkManager cannot express DSCP maps), so the whole
# plan is re-applied at every boot and then read back.
[Unit]
Description=HAI fabric plan (NPU RoCE ports, HCCL env, host NIC QoS): apply and verify
# After network-pre.target: the NICs are there. Before network-online.target
# and the agent: nothing that sends RoCE or HCCL traffic starts on a fabric
# that is not lossless yet. The Ascend driver is loaded by its own install
# scripts and has no unit name to order after; hccn_tool fails (and so this
# unit) when the driver is not up.
After=network-pre.target
Before=network-online.target hai-agent.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/hai-netconf apply --plan /etc/hai/fabric.toml
# apply verifies too; the separate verify leaves the readback in the journal
# and fails the unit on any difference.
ExecStartPost=/usr/bin/hai-netconf verify --plan /etc/hai/fabric.toml
# Eight NPU ports with about ten hccn_tool calls each.
TimeoutStartSec=300

[Install]
WantedBy=multi-user.target
)";
}

Status Persist(const std::string& plan_text, const Environment& env,
               std::vector<std::string>* actions) {
  const std::string unit = UnderRoot(env.root, kUnitPath);
  HAI_RETURN_IF_ERROR(WriteFileAtomic(unit, RenderNetconfUnit(), 0644));
  actions->push_back("file " + unit + ": unit written");
  const std::string plan = UnderRoot(env.root, kInstalledPlanPath);
  HAI_RETURN_IF_ERROR(WriteFileAtomic(plan, plan_text, 0644));
  actions->push_back("file " + plan + ": plan installed");
  std::vector<std::string> argv = {"systemctl"};
  if (!env.root.empty() && env.root != "/") argv.push_back("--root=" + env.root);
  argv.push_back("enable");
  argv.push_back(kUnitName);
  auto out = env.runner->Run(argv, env.timeout);
  if (!out.ok()) return out.status();
  if (out->exit_code != 0) return accel::ToolFailed(argv, *out);
  actions->push_back(accel::JoinArgv(argv));
  return Status::Ok();
}

}  // namespace hai::netconf
