#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "lib/base/status.h"
#include "lib/config/config_file.h"

namespace hai::agent {

// [agent] plus [log] level and [cluster] token_file of hai.toml.
struct AgentConfig {
  std::string node_name;  // default: the host name, lower-cased
  std::string listen = "127.0.0.1";
  int port = 7002;
  std::string advertise_url;  // how others reach this agent; default http://listen:port
  std::string scheduler_url = "http://127.0.0.1:7001";
  std::string data_dir = "/var/lib/hai";
  // A hardware profile (profiles/nodes/*.toml): the node then reports that
  // simulated inventory, labelled simulated everywhere. Empty: real detection.
  std::string profile;
  std::string sysfs_root = "/";  // where sys/ and proc/ are read (tests use a recorded tree)
  int64_t heartbeat_interval_ms = 2000;
  std::map<std::string, std::string> labels;
  std::string log_level = "info";
  std::string cluster_token_file;

  std::string TokenPath() const {
    return cluster_token_file.empty() ? data_dir + "/cluster-token" : cluster_token_file;
  }
};

Result<AgentConfig> ReadAgentConfig(const config::File& file);
// Fills defaults that depend on the host (node name) and checks cross-field rules.
Status FinishAgentConfig(AgentConfig* config, const std::string& source);

}  // namespace hai::agent
