#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "hwcheck/check.h"

namespace hai::hwcheck {

// hai-hwcheck's command line (the flags are a contract: docs/hwcheck.md).
enum class Command { kCheck, kServe, kCluster };

struct CliOptions {
  Command command = Command::kCheck;
  // check
  Level level = Level::kR1;
  std::string profile, bmc, json, html, baseline;
  std::string bmc_password_file, bmc_ca, evidence_dir, ledger, node, root, hostfile;
  std::string token_file = "/etc/hai/cluster.token";
  std::string hccn_tool = "/usr/local/Ascend/driver/tools/hccn_tool";
  std::string ascend_dir = "/usr/local/Ascend";
  bool bmc_insecure = false;
  std::vector<std::string> peers;         // NAME=HOST[:PORT]
  std::vector<std::string> peer_npu_ips;  // NAME=ip0,ip1,…
  int duration_s = 10;
  // serve
  std::string listen = "0.0.0.0:7190";
  // cluster
  std::vector<std::string> reports;
};

// Parses argv with CLI11. Returns the options, or the exit status when the
// program should stop here: 0 after --help (printed on `out`), 64 after a
// usage error (a message naming the flag on `err`).
struct ParsedCli {
  CliOptions options;
  std::optional<int> exit;
};
ParsedCli ParseCommandLine(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace hai::hwcheck
