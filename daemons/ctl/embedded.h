#pragma once

#include <chrono>
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
  std::string web_dir;    // overrides <share_dir>/web, e.g. a front end being worked on
  std::string log_level = "info";
};

// The simulated nodes of the embedded default: name and hardware profile.
struct EmbeddedNode {
  std::string name;
  std::string profile;  // file name under <share>/profiles/nodes/
};
const std::vector<EmbeddedNode>& EmbeddedNodes();

// The demo models the embedded default makes, and the `hai-model init`
// arguments for each (deterministic: the same bytes on every machine). The
// first is the chat model `haictl up` deploys; the portal's catalogue has a
// card for each (profiles/catalog/demo*.toml) and registers the weights.
struct DemoModel {
  std::string name;
  std::vector<std::string> init_args;
};
const std::vector<DemoModel>& EmbeddedDemoModels();
std::vector<std::string> DemoModelInitCommand(const UpOptions& options, const DemoModel& model);

// Runs `argv` to completion, bounded by `limit` (then terminated); its
// output goes to our stderr (our stdout carries only the result line).
Status RunToEnd(std::vector<std::string> argv, std::chrono::seconds limit);

// The embedded hai.toml for `options` (portal, gateway, scheduler, cluster).
std::string EmbeddedConfig(const UpOptions& options, const PortMap& ports);
// Engine ports each embedded agent hands out: node i uses
// engine_base + 20·i … + 19.
inline constexpr int kEnginePortsPerNode = 20;
// One agent's configuration file: agent number `i` of EmbeddedNodes().
std::string EmbeddedAgentConfig(const UpOptions& options, const PortMap& ports, size_t i);
// The one JSON line `haictl up` prints once every daemon is healthy and the
// demo service answers at `engine_url` ("" when it could not be deployed).
std::string ReadyLine(const PortMap& ports, const std::string& admin_password_file,
                      const std::string& data_dir, const std::string& engine_url);
// Where the built web assets and API document are: beside a build tree or installed.
std::string FindShareDir(const std::string& bin_dir);

// The ports `haictl up` would use that something else already listens on.
std::vector<int> PortsInUse(const UpOptions& options);

// `haictl up`: starts every daemon built so far on loopback, prints the ready
// line, and stops them all on SIGTERM/SIGINT or when one dies. Returns the
// process exit code.
int RunUp(const UpOptions& options);

}  // namespace hai::ctl
