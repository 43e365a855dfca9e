#pragma once

#include <cstdint>
#include <string>

#include "lib/base/status.h"
#include "lib/config/config_file.h"

namespace hai::scheduler {

// [scheduler] plus [log] level and [cluster] token_file of hai.toml.
struct SchedulerConfig {
  std::string data_dir = "/var/lib/hai";
  std::string listen = "127.0.0.1";
  int port = 7001;
  // cpp-httplib holds a thread per open connection, a kept-alive idle one
  // for up to 5 s: every agent (heartbeats, reports), every gateway (a
  // routing-table long-poll) and the portal keep some open. With 8, three
  // agents and one gateway filled them and a portal call waited 4 s for one.
  int threads = 32;
  int64_t max_body_bytes = 256 * 1024;  // a heartbeat of 256 devices fits easily
  int64_t heartbeat_timeout_ms = 6000;  // Ready → NotReady after this much silence
  std::string log_level = "info";
  std::string cluster_token_file;  // default <data_dir>/cluster-token

  std::string TokenPath() const {
    return cluster_token_file.empty() ? data_dir + "/cluster-token" : cluster_token_file;
  }
};

Result<SchedulerConfig> ReadSchedulerConfig(const config::File& file);

}  // namespace hai::scheduler
