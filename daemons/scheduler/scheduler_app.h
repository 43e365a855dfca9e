#pragma once

#include <memory>

#include "daemons/scheduler/agent_link.h"
#include "daemons/scheduler/cluster_events.h"
#include "daemons/scheduler/deployment_controller.h"
#include "daemons/scheduler/deployment_store.h"
#include "daemons/scheduler/model_artifacts.h"
#include "daemons/scheduler/node_registry.h"
#include "daemons/scheduler/route_table.h"
#include "daemons/scheduler/scheduler_config.h"
#include "lib/base/clock.h"
#include "lib/accel/vendor_adapter.h"
#include "lib/http/server.h"
#include "lib/placement/placer.h"
#include "lib/metrics/registry.h"
#include "lib/store/database.h"

namespace hai::scheduler {

// The hai-scheduler component: node registry, events, placement and the
// deployment controller.
// Create/Start/Stop/Tick from the main thread.
class SchedulerApp {
 public:
  static Result<std::unique_ptr<SchedulerApp>> Create(const SchedulerConfig& config,
                                                      const Clock* clock);
  ~SchedulerApp();
  Status Start();
  void Stop();
  // Housekeeping from the main loop: turns silent nodes NotReady, then one
  // reconciliation pass over the deployments.
  void Tick();
  int port() const { return server_ ? server_->port() : 0; }

 private:
  SchedulerApp(const SchedulerConfig& config, const Clock* clock)
      : config_(config), clock_(clock) {}
  std::vector<NodeInfo> NodeInfos() const;

  SchedulerConfig config_;
  const Clock* clock_;
  metrics::Registry registry_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<SqliteEventSink> events_;
  std::unique_ptr<placement::Ledger> ledger_;
  std::unique_ptr<placement::Placer> placer_;
  std::map<accel::Vendor, std::unique_ptr<accel::VendorAdapter>> adapters_;
  std::unique_ptr<NodeRegistry> nodes_;
  std::unique_ptr<DeploymentStore> deployment_store_;
  std::unique_ptr<HttpAgentLink> agent_link_;
  std::unique_ptr<DeploymentController> controller_;
  std::unique_ptr<ModelArtifacts> model_artifacts_;  // weights served to other nodes
  std::unique_ptr<RouteTable> route_table_;  // what the gateways route by
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  metrics::Family* node_gauge_ = nullptr;
};

}  // namespace hai::scheduler
