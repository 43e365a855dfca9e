#include "netconf/cli.h"

#include <map>

#include "netconf/apply.h"
#include "netconf/file_text.h"
#include "netconf/hccn_commands.h"
#include "netconf/output.h"
#include "netconf/persist.h"

namespace hai::netconf {
namespace {

constexpr char kUsage[] =
    "usage: hai-netconf plan|apply|verify|persist --plan FILE [--node NAME] [--root DIR]\n"
    "         [--sysfs-root DIR] [--configfs-root DIR] [--hccn-tool PATH] [--json]\n";

constexpr char kHelp[] =
    "hai-netconf: the fabric's RoCEv2 lossless QoS plan on this node (docs/netconf.md)\n"
    "  plan     print what the plan asks of this node\n"
    "  apply    apply it (NPU ports, hccn.conf, HCCL env, host NICs, ECN, rdma_cm), then verify\n"
    "  verify   read everything back; exit 0 only when nothing differs\n"
    "  persist  install hai-netconf.service, which applies and verifies at boot\n"
    "exit: 0 ok, 1 a difference or a failed step, 2 a bad plan or usage\n";

struct Options {
  std::string command;
  std::string plan;
  std::string node;
  std::string root;
  std::string sysfs_root = "/sys";
  std::string configfs_root = "/sys/kernel/config";
  std::string hccn_tool = kDefaultHccnTool;
  bool json = false;
};

Result<Options> ParseArgs(const std::vector<std::string>& args) {
  Options o;
  const std::map<std::string, std::string*> values = {
      {"--plan", &o.plan},           {"--node", &o.node},
      {"--root", &o.root},           {"--sysfs-root", &o.sysfs_root},
      {"--configfs-root", &o.configfs_root}, {"--hccn-tool", &o.hccn_tool}};
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      o.json = true;
    } else if (auto it = values.find(a); it != values.end()) {
      if (i + 1 >= args.size()) return Status::InvalidArgument(a + " needs a value");
      *it->second = args[++i];
    } else if (!a.starts_with("-") && o.command.empty()) {
      o.command = a;
    } else {
      return Status::InvalidArgument("unknown argument " + a);
    }
  }
  if (o.command != "plan" && o.command != "apply" && o.command != "verify" && o.command != "persist")
    return Status::InvalidArgument(o.command.empty() ? "no command"
                                                     : "unknown command " + o.command);
  if (o.plan.empty()) return Status::InvalidArgument("--plan FILE is required");
  return o;
}

}  // namespace

int RunNetconf(const std::vector<std::string>& args, const CliDeps& deps, std::ostream& out,
               std::ostream& err) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << kUsage << kHelp;
      return 0;
    }
  }
  auto options = ParseArgs(args);
  if (!options.ok()) {
    err << "hai-netconf: " << options.status().message() << "\n" << kUsage;
    return kExitBadPlan;
  }
  const Options& o = *options;
  auto plan_text = ReadText(o.plan);
  if (!plan_text.ok()) {
    err << "hai-netconf: " << plan_text.status().message() << "\n";
    return kExitBadPlan;
  }
  auto plan = ParseFabricPlan(*plan_text, o.plan);
  if (!plan.ok()) {
    err << "hai-netconf: " << plan.status().message() << "\n";
    return kExitBadPlan;
  }
  const std::string node_name = o.node.empty() ? deps.hostname : o.node;
  const NodePlan* node = plan->FindNode(node_name);
  if (node == nullptr) {
    std::string names;
    for (const NodePlan& n : plan->nodes) names += (names.empty() ? "" : ", ") + n.name;
    err << "hai-netconf: " << o.plan << ": node: no node '" << node_name << "' in the plan"
        << (names.empty() ? "" : " (nodes: " + names + ")")
        << (o.node.empty() ? "; the default is this host's name, --node NAME picks another" : "")
        << "\n";
    return kExitBadPlan;
  }

  Environment env;
  env.runner = deps.runner;
  env.root = o.root;
  env.sysfs_root = o.sysfs_root;
  env.configfs_root = o.configfs_root;
  env.hccn_tool = o.hccn_tool;
  if (o.command == "plan") {
    out << (o.json ? RenderIntentJson(*plan, *node, env) : RenderIntentHuman(*plan, *node, env));
    return kExitOk;
  }
  if (o.command == "persist") {
    std::vector<std::string> actions;
    Status st = Persist(*plan_text, env, &actions);
    for (const std::string& a : actions) out << "changed  " << a << "\n";
    if (!st.ok()) {
      err << "hai-netconf: persist: " << st.message() << "\n";
      return kExitNotOk;
    }
    return kExitOk;
  }
  std::unique_ptr<HostNetwork> host;
  if (!node->nics.empty() && deps.make_host_network) host = deps.make_host_network();
  env.host = host.get();
  Report report = o.command == "apply" ? ApplyNode(*plan, *node, env) : VerifyNode(*plan, *node, env);
  out << (o.json ? RenderReportJson(report, o.command, node->name)
                 : RenderReportHuman(report, o.command));
  return report.failures.empty() && report.diffs.empty() ? kExitOk : kExitNotOk;
}

}  // namespace hai::netconf
