#pragma once

#include <memory>

#include "daemons/agent/agent_config.h"
#include "daemons/agent/device_metrics.h"
#include "daemons/agent/inventory_source.h"
#include "daemons/agent/launch_plan.h"
#include "daemons/agent/model_cache.h"
#include "daemons/agent/model_source.h"
#include "daemons/agent/model_weights.h"
#include "daemons/agent/port_pool.h"
#include "daemons/agent/replica_reporter.h"
#include "daemons/agent/replica_runner.h"
#include "daemons/agent/scheduler_link.h"
#include "lib/accel/vendor_adapter.h"
#include "lib/base/clock.h"
#include "lib/http/server.h"
#include "lib/metrics/registry.h"

namespace hai::agent {

// The hai-agent component: inventory, health, the scheduler link, the engine
// replicas and the node's /metrics. Create/Start/Stop from the main thread.
class AgentApp {
 public:
  // A profile in the engine profiles directory that does not load is an
  // InvalidArgument naming the file and key (the agent exits 78).
  static Result<std::unique_ptr<AgentApp>> Create(const AgentConfig& config,
                                                  std::unique_ptr<InventorySource> source,
                                                  const Clock* clock);
  ~AgentApp();
  Status Start();
  void Stop();
  int port() const { return server_ ? server_->port() : 0; }
  SchedulerLink* link() { return link_.get(); }
  ReplicaRunner* runner() { return runner_.get(); }

 private:
  explicit AgentApp(const AgentConfig& config) : config_(config) {}
  Status CreateRunner(const std::string& token, const Clock* clock);

  AgentConfig config_;
  metrics::Registry registry_;
  std::unique_ptr<InventorySource> source_;
  std::unique_ptr<DeviceMetrics> device_metrics_;
  std::unique_ptr<SchedulerLink> link_;
  accel::AdapterRegistry adapters_;
  std::unique_ptr<LaunchPlanner> planner_;
  std::unique_ptr<PortPool> ports_;
  std::unique_ptr<ReplicaReporter> reporter_;
  // Declared before the runner, so they outlive the replicas' leases.
  std::unique_ptr<ModelSource> model_source_;
  std::unique_ptr<ModelCache> model_cache_;
  std::unique_ptr<ModelWeights> model_weights_;
  std::unique_ptr<ReplicaRunner> runner_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

// The source the configuration asks for: the hardware profile's simulated
// inventory when agent.profile is set, else detection on this host.
Result<std::unique_ptr<InventorySource>> MakeInventorySource(const AgentConfig& config);

// The engine profiles of `dir`; a missing directory is an empty list (logged:
// every assignment then fails to start), a bad profile an error.
Result<std::vector<engine_profile::EngineProfile>> LoadEngineProfiles(const std::string& dir);

}  // namespace hai::agent
