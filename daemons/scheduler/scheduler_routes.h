#pragma once

#include "daemons/scheduler/cluster_events.h"
#include "daemons/scheduler/deployment_controller.h"
#include "daemons/scheduler/node_registry.h"
#include "daemons/scheduler/placement_json.h"
#include "lib/base/clock.h"
#include "lib/http/router.h"
#include "lib/placement/placer.h"

namespace hai::scheduler {

struct RouteDeps {
  NodeRegistry* registry;
  placement::Placer* placer;
  placement::Ledger* ledger;
  SqliteEventSink* events;
  const Clock* clock;
  std::string cluster_token;
  ResourceNamesFn resource_names;
  DeploymentController* deployments;
};

// The scheduler's internal API (cluster token on every route): agents
// register, heartbeat and report their replicas; the portal reads nodes,
// accelerators and events and asks for a reconciliation after it changed a
// deployment.
void AddSchedulerRoutes(http::Router* router, const RouteDeps& deps);

}  // namespace hai::scheduler
