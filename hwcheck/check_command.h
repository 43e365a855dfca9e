#pragma once

#include <functional>
#include <ostream>
#include <vector>

#include "hwcheck/cli_options.h"
#include "hwcheck/run.h"
#include "lib/accel/command_runner.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// What the check command needs from outside the core: the process runner, the
// suites for a context (cli.cc: SelectSuites over suites.h; tests: their own)
// and a parser for --bmc URLs (the BMC library's ParseBmcUrl).
struct CheckDeps {
  accel::CommandRunner* runner = nullptr;
  std::function<std::vector<Suite>(const CheckContext&)> suites;
  std::function<Status(const std::string& url)> validate_bmc_url;
  std::string hostname;  // the node name when --node is not given
};

// `hai-hwcheck --level …`: checks the inputs (64 naming the problem), runs the
// suites, compares with the baseline, writes the ledger, the reports and the
// summary table; returns 0/1/2 by the worst result.
int RunCheckCommand(const CliOptions& options, const CheckDeps& deps, std::ostream& out,
                    std::ostream& err);

}  // namespace hai::hwcheck
