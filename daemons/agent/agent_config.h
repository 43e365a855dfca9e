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

  // Engine replicas (docs/agent.md). Profiles: "" = the share directory next
  // to the binary when run from a build tree (build/share/hai/profiles/engines),
  // else /usr/share/hai/profiles/engines.
  std::string engine_profiles_dir;
  int engine_port_first = 21000;  // engines listen on ports from this range
  int engine_port_last = 21999;
  int stop_grace_s = 10;                       // SIGTERM → SIGKILL
  int64_t log_max_bytes = int64_t{50} << 20;  // engine.log rotates at this size
  int log_keep = 3;                            // rotated files kept: engine.log.1 … .3
  int restart_backoff_s = 10;                  // first restart delay, doubled per crash
  int restart_backoff_max_s = 300;

  // Model weights (docs/agent.md, "Model weights on other nodes"): "auto"
  // uses the assignment's model_path when it exists here (same host, shared
  // storage) and fetches from the scheduler otherwise; "always" fetches;
  // "never" uses model_path as it is.
  std::string model_fetch = "auto";
  std::string model_cache_dir;      // "" → <data_dir>/model-cache
  int64_t model_cache_max_gib = 0;  // 0: unlimited; else least recently used models go first

  std::string ModelCacheDir() const {
    return model_cache_dir.empty() ? data_dir + "/model-cache" : model_cache_dir;
  }

  std::string TokenPath() const {
    return cluster_token_file.empty() ? data_dir + "/cluster-token" : cluster_token_file;
  }
  // <data_dir>/replicas/<node>: one directory per replica this agent runs.
  // The node level keeps agents that share a data directory (haictl up, the
  // integration tests) out of each other's replicas.
  std::string ReplicasDir() const { return data_dir + "/replicas/" + node_name; }
  std::string EngineProfilesDir() const;
  // The address engines listen on and callers use: advertise_url's host, else
  // listen.
  std::string EngineHost() const;
};

Result<AgentConfig> ReadAgentConfig(const config::File& file);
// Fills defaults that depend on the host (node name) and checks cross-field rules.
Status FinishAgentConfig(AgentConfig* config, const std::string& source);

}  // namespace hai::agent
