#pragma once

#include <memory>

#include "daemons/agent/agent_config.h"
#include "daemons/agent/device_metrics.h"
#include "daemons/agent/inventory_source.h"
#include "daemons/agent/scheduler_link.h"
#include "lib/base/clock.h"
#include "lib/http/server.h"
#include "lib/metrics/registry.h"

namespace hai::agent {

// The hai-agent component: inventory, health, the scheduler link and the
// node's /metrics. Create/Start/Stop from the main thread.
class AgentApp {
 public:
  static Result<std::unique_ptr<AgentApp>> Create(const AgentConfig& config,
                                                  std::unique_ptr<InventorySource> source,
                                                  const Clock* clock);
  ~AgentApp();
  Status Start();
  void Stop();
  int port() const { return server_ ? server_->port() : 0; }
  SchedulerLink* link() { return link_.get(); }

 private:
  explicit AgentApp(const AgentConfig& config) : config_(config) {}

  AgentConfig config_;
  metrics::Registry registry_;
  std::unique_ptr<InventorySource> source_;
  std::unique_ptr<DeviceMetrics> device_metrics_;
  std::unique_ptr<SchedulerLink> link_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

// The source the configuration asks for: the hardware profile's simulated
// inventory when agent.profile is set, else detection on this host.
Result<std::unique_ptr<InventorySource>> MakeInventorySource(const AgentConfig& config);

}  // namespace hai::agent
