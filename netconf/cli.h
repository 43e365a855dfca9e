#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "lib/accel/command_runner.h"
#include "netconf/host_network.h"

namespace hai::netconf {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNotOk = 1;   // verify found differences, apply or persist failed
inline constexpr int kExitBadPlan = 2;  // bad plan or usage; the message names the key

// What the command line needs from the machine, so tests can hand in doubles.
struct CliDeps {
  accel::CommandRunner* runner = nullptr;
  // Called only when a node has host NICs (apply/verify).
  std::function<std::unique_ptr<HostNetwork>()> make_host_network;
  std::string hostname;  // --node's default
};

// hai-netconf plan|apply|verify|persist --plan FILE [--node NAME] [--root DIR]
//   [--sysfs-root DIR] [--configfs-root DIR] [--hccn-tool PATH] [--json]
// `args` excludes the program name.
int RunNetconf(const std::vector<std::string>& args, const CliDeps& deps, std::ostream& out,
               std::ostream& err);

}  // namespace hai::netconf
