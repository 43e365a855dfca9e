#include "hwcheck/cli.h"

#include <unistd.h>

#include "hwcheck/bmc/bmc_readers.h"
#include "hwcheck/check_command.h"
#include "hwcheck/cli_options.h"
#include "hwcheck/cluster_summary.h"
#include "hwcheck/host/peer_control.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck {
namespace {

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

}  // namespace

std::vector<Suite> DefaultSuites(const CheckContext& ctx) {
  SuiteFunctions fns;
  fns.host = RunHostChecks;
  fns.npu = RunNpuChecks;
  fns.npu_nic = RunNpuNicChecks;
  fns.nvidia = RunNvidiaChecks;
  fns.bmc = RunBmcChecks;
  fns.tcp = RunTcpBandwidthChecks;
  return SelectSuites(ctx, fns);
}

int HwcheckMain(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  ParsedCli parsed = ParseCommandLine(argc, argv, out, err);
  if (parsed.exit) return *parsed.exit;
  const CliOptions& o = parsed.options;
  switch (o.command) {
    case Command::kServe: {
      ServeOptions serve;
      serve.listen = o.listen;
      serve.token_file = o.token_file;
      serve.hccn_tool = o.hccn_tool;
      return RunServe(serve);
    }
    case Command::kCluster:
      return RunClusterCommand(o.reports, o.json, o.html, out, err);
    case Command::kCheck:
      break;
  }
  accel::SubprocessRunner runner;
  CheckDeps deps;
  deps.runner = &runner;
  deps.suites = DefaultSuites;
  deps.validate_bmc_url = [](const std::string& url) {
    auto target = bmc::ParseBmcUrl(url);
    return target.ok() ? Status::Ok() : target.status();
  };
  deps.hostname = HostName();
  return RunCheckCommand(o, deps, out, err);
}

}  // namespace hai::hwcheck
