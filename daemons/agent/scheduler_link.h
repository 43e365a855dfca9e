#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "daemons/agent/agent_config.h"
#include "daemons/agent/device_metrics.h"
#include "daemons/agent/inventory_source.h"
#include "lib/base/clock.h"
#include "lib/http/client.h"

namespace hai::agent {

// Keeps this node known to the scheduler: registers, then heartbeats every
// interval; registers again when the scheduler has forgotten the node (it
// restarted) or the inventory changed. Step() runs on the link's own thread;
// current() is safe from any thread.
class SchedulerLink {
 public:
  SchedulerLink(const AgentConfig& config, std::string token, InventorySource* source,
                DeviceMetrics* metrics, const Clock* clock);
  ~SchedulerLink();

  // One round: register if needed, otherwise send a heartbeat.
  Status Step();
  // Where the scheduler and portal reach this agent; set before Start().
  void SetAgentUrl(std::string url) { agent_url_ = std::move(url); }
  void Start();  // Step() every heartbeat_interval_ms on a thread
  void Stop();
  bool registered() const;
  accel::NodeInventory current() const;

 private:
  Status Register();
  Status SendHeartbeat();

  AgentConfig config_;
  std::string token_;
  InventorySource* source_;
  DeviceMetrics* metrics_;
  const Clock* clock_;
  std::unique_ptr<http::Client> client_;  // used by the link thread only
  std::string agent_url_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;             // GUARDED_BY(mu_)
  bool registered_ = false;           // GUARDED_BY(mu_)
  int64_t seq_ = 0;                   // GUARDED_BY(mu_)
  accel::NodeInventory inventory_;    // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace hai::agent
