#include "hwcheck/cli_options.h"

#include <CLI/CLI.hpp>

#include "hwcheck/report.h"

namespace hai::hwcheck {

ParsedCli ParseCommandLine(int argc, const char* const* argv, std::ostream& out,
                           std::ostream& err) {
  ParsedCli parsed;
  CliOptions& o = parsed.options;
  std::string level;
  CLI::App cli{
      "hai-hwcheck: validate this node's hardware in levels r1-r4 (inventory and health, "
      "host-device bandwidth, compute and collectives, multi-node) and write a report"};
  cli.add_option("--level", level, "r1 | r2 | r3 | r4 (each runs the checks of the lower ones)");
  cli.add_option("--profile", o.profile, "hardware profile (profiles/nodes/*.toml)");
  cli.add_option("--bmc", o.bmc,
                 "ipmi://user:pass@host[:623] or redfish+https://user:pass@host[:443]");
  cli.add_option("--json", o.json, "write the JSON report here");
  cli.add_option("--html", o.html, "write the HTML report here");
  cli.add_option("--baseline", o.baseline,
                 "inspection mode: compare with this earlier report (the acceptance run)");
  cli.add_option("--bmc-password-file", o.bmc_password_file,
                 "read the BMC password from this file (wins over the URL's)");
  cli.add_option("--bmc-ca", o.bmc_ca, "PEM file of the CA that signed the BMC's certificate");
  cli.add_flag("--bmc-insecure", o.bmc_insecure,
               "accept any BMC certificate (factory self-signed ones)");
  cli.add_option("--evidence-dir", o.evidence_dir,
                 "raw tool outputs go here (default: next to the JSON or HTML report)");
  cli.add_option("--ledger", o.ledger,
                 "asset ledger FILE.json (also FILE.csv; FILE.diff.json against the last one)");
  cli.add_option("--node", o.node, "this node's name (default: the host name)");
  cli.add_option("--root", o.root, "read /proc, /sys, /etc under this directory (tests)");
  cli.add_option("--peer", o.peers, "r4 peer running `hai-hwcheck serve`: NAME=HOST[:PORT]")
      ->take_all();
  cli.add_option("--peer-npu-ips", o.peer_npu_ips,
                 "a peer's NPU RoCE addresses by device index: NAME=ip0,ip1,...")
      ->take_all();
  cli.add_option("--hostfile", o.hostfile, "mpirun hostfile for the r4 all-node all-reduce");
  cli.add_option("--token-file", o.token_file, "cluster token shared with the `serve` peers");
  cli.add_option("--duration", o.duration_s, "seconds per bandwidth test (1-3600)")
      ->check(CLI::Range(1, 3600));
  cli.add_option("--hccn-tool", o.hccn_tool, "path of hccn_tool");
  cli.add_option("--ascend-dir", o.ascend_dir, "Ascend install directory (version.info files)");

  CLI::App* serve = cli.add_subcommand("serve", "answer r4 bandwidth tests from other nodes");
  serve->add_option("--listen", o.listen, "ADDR:PORT to listen on");
  serve->add_option("--token-file", o.token_file, "cluster token");
  serve->add_option("--hccn-tool", o.hccn_tool, "path of hccn_tool (RoCE tests asked by peers)");

  CLI::App* cluster =
      cli.add_subcommand("cluster", "compare several nodes' reports (versions, facts)");
  cluster->add_option("reports", o.reports, "report JSON files, one per node")->required();
  cluster->add_option("--json", o.json, "write the cluster report here");
  cluster->add_option("--html", o.html, "write the cluster report here");
  cli.require_subcommand(0, 1);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    parsed.exit = cli.exit(e, out, err);
    return parsed;
  } catch (const CLI::ParseError& e) {
    cli.exit(e, out, err);
    parsed.exit = kExitUsage;
    return parsed;
  }
  if (serve->parsed()) {
    o.command = Command::kServe;
    return parsed;
  }
  if (cluster->parsed()) {
    o.command = Command::kCluster;
    return parsed;
  }
  if (level.empty()) {
    err << "hai-hwcheck: --level is required (r1, r2, r3 or r4); see --help\n";
    parsed.exit = kExitUsage;
    return parsed;
  }
  auto l = ParseLevel(level);
  if (!l) {
    err << "hai-hwcheck: --level: expected r1, r2, r3 or r4, got \"" << level << "\"\n";
    parsed.exit = kExitUsage;
    return parsed;
  }
  o.level = *l;
  return parsed;
}

}  // namespace hai::hwcheck
