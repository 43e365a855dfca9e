#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/proc/child.h"

namespace hai::portal::testing {

// A real hai-scheduler with real hai-agent processes simulating nodes from
// hardware profiles, on loopback, for portal tests that need placements.
// The cluster token is a new file that the portal is pointed at too
// (PortalConfig()), or a portal's own.
class ClusterRig {
 public:
  struct Options {
    std::vector<std::string> profiles;  // file names under profiles/nodes/
    std::string data_dir;               // the scheduler's database folder; "" = its own
    int port = 0;                       // the scheduler's; 0 = any free one
    std::string token_file;             // an existing cluster token (a portal's); "" = a new one
    bool run_engines = false;           // agents launch real engines (shipped engine profiles)
  };
  explicit ClusterRig(Options options);
  ~ClusterRig();

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  const std::string& token() const { return token_; }
  // The [cluster] table a portal needs to reach this scheduler.
  std::string PortalConfig() const;
  // Waits (bounded) until `n` nodes are Ready.
  bool WaitForReadyNodes(int n);
  // The scheduler's answer (null unless 200).
  nlohmann::json Get(const std::string& path);
  int Post(const std::string& path, const std::string& body);
  // SIGTERM to node `i`'s agent, as when it is stopped.
  void StopAgent(size_t i);

  // A port below the ephemeral range that nothing listens on now.
  static int FreePort();

 private:
  std::string dir_;
  std::string token_file_;
  std::string token_;
  int port_ = 0;
  std::unique_ptr<proc::Child> scheduler_;
  std::vector<std::unique_ptr<proc::Child>> agents_;
};

}  // namespace hai::portal::testing
