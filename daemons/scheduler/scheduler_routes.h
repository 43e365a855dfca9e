#pragma once

#include "daemons/scheduler/cluster_events.h"
#include "daemons/scheduler/node_registry.h"
#include "lib/base/clock.h"
#include "lib/http/router.h"

namespace hai::scheduler {

struct RouteDeps {
  NodeRegistry* registry;
  SqliteEventSink* events;
  const Clock* clock;
  std::string cluster_token;
};

// The scheduler's internal API (cluster token on every route): agents
// register and heartbeat; the portal reads nodes, accelerators and events.
void AddSchedulerRoutes(http::Router* router, const RouteDeps& deps);

}  // namespace hai::scheduler
