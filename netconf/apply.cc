#include "netconf/apply.h"

#include "netconf/ecn_sysfs.h"
#include "netconf/file_text.h"
#include "netconf/hccl_env.h"
#include "netconf/host_nics.h"
#include "netconf/npu_ports.h"
#include "netconf/rdma_cm_tos.h"

namespace hai::netconf {
namespace {

void ApplyHcclEnv(const FabricPlan& plan, const Environment& env, Report* report) {
  const std::string path = UnderRoot(env.root, kHcclEnvPath);
  std::string text = RenderHcclEnv(plan);
  auto have = ReadText(path);
  if (have.ok() && *have == text) return;
  Status st = WriteFileAtomic(path, text, 0644);
  if (st.ok()) report->actions.push_back("file " + path + ": HCCL environment written");
  else report->failures.push_back("file " + path + ": " + st.message());
}

void VerifyHcclEnv(const FabricPlan& plan, const Environment& env, Report* report) {
  const std::string path = UnderRoot(env.root, kHcclEnvPath);
  auto text = ReadText(path);
  auto have = ParseEnvFile(text.ok() ? *text : "");
  for (const auto& [key, value] : HcclEnv(plan)) {
    auto it = have.find(key);
    std::string actual = !text.ok() ? "file missing" : it == have.end() ? "absent" : it->second;
    if (actual != value) report->Diff("file." + std::string(kHcclEnvPath) + "." + key, value, actual);
  }
}

}  // namespace

Report VerifyNode(const FabricPlan& plan, const NodePlan& node, const Environment& env) {
  Report report;
  VerifyNpuPorts(plan, node, env, &report);
  VerifyHcclEnv(plan, env, &report);
  VerifyHostNics(plan, node, env, &report);
  VerifyEcn(plan, node, env, &report);
  VerifyRdmaCmTos(plan, node, env, &report);
  return report;
}

Report ApplyNode(const FabricPlan& plan, const NodePlan& node, const Environment& env) {
  Report report;
  ApplyNpuPorts(plan, node, env, &report);
  ApplyHcclEnv(plan, env, &report);
  ApplyHostNics(plan, node, env, &report);
  ApplyEcn(plan, node, env, &report);
  ApplyRdmaCmTos(plan, node, env, &report);
  Report verified = VerifyNode(plan, node, env);
  report.diffs = std::move(verified.diffs);
  return report;
}

}  // namespace hai::netconf
