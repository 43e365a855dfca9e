#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::ctl {

// Ports of the embedded default, all derived from one base so that several
// appliances can run side by side on one machine.
struct PortMap {
  int portal;
  int gateway;
  int scheduler;
  int finetune;
  int evaluator;
  int agent_base;   // agents take agent_base, agent_base + 1, …
  int engine_base;  // engine replicas take engine_base and up
  static PortMap FromBase(int base);
};

struct UpOptions {
  std::string data_dir;
  int base_port = 8080;
  std::string bin_dir;    // where hai-portal and the other daemons are
  std::string share_dir;  // web/ and api/openapi.json
  std::string log_level = "info";
};

// The simulated nodes of the embedded default: name and hardware profile.
struct EmbeddedNode {
  std::string name;
  std::string profile;  // file name under <share>/profiles/nodes/
};
const std::vector<EmbeddedNode>& EmbeddedNodes();

// The model the embedded default serves, and the `hai-model init` arguments
// that create it (deterministic: the same model on every machine).
struct DemoModel {
  std::string name;
  std::vector<std::string> init_args;
};
const DemoModel& EmbeddedDemoModel();
std::vector<std::string> DemoModelInitCommand(const UpOptions& options);
std::vector<std::string> DemoEngineCommand(const UpOptions& options, const PortMap& ports);

// The embedded hai.toml for `options` (portal, scheduler, cluster).
std::string EmbeddedConfig(const UpOptions& options, const PortMap& ports);
// Engine ports each embedded agent hands out: node i uses
// engine_base + 1 + 20·i … + 19.
inline constexpr int kEnginePortsPerNode = 20;
// One agent's configuration file: agent number `i` of EmbeddedNodes().
std::string EmbeddedAgentConfig(const UpOptions& options, const PortMap& ports, size_t i);
// The one JSON line `haictl up` prints once every daemon is healthy.
std::string ReadyLine(const PortMap& ports, const std::string& admin_password_file,
                      const std::string& data_dir);
// Where the built web assets and API document are: beside a build tree or installed.
std::string FindShareDir(const std::string& bin_dir);

// The ports `haictl up` would use that something else already listens on.
std::vector<int> PortsInUse(const UpOptions& options);

// `haictl up`: starts every daemon built so far on loopback, prints the ready
// line, and stops them all on SIGTERM/SIGINT or when one dies. Returns the
// process exit code.
int RunUp(const UpOptions& options);

}  // namespace hai::ctl
