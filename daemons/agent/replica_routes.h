#pragma once

#include <string>

#include "daemons/agent/replica_runner.h"
#include "lib/http/router.h"

namespace hai::agent {

// The scheduler's and portal's view of this node's engine replicas, all behind
// the cluster token (docs/agent.md, "Routes"):
//   PUT    /internal/v1/replicas/{id}            assignment → status
//   DELETE /internal/v1/replicas/{id}            stop, then forget
//   GET    /internal/v1/replicas                 every replica
//   GET    /internal/v1/replicas/{id}            one replica
//   GET    /internal/v1/replicas/{id}/logs       ?tail=N&follow=true|download=true
//   GET    /internal/v1/replicas/{id}/processes  the engine's process group
void AddReplicaRoutes(http::Router* router, ReplicaRunner* runner, const std::string& token,
                      const std::string& node);

// The replicas' Prometheus gauges, appended to the agent's /metrics:
// hai_agent_replica_phase{node,replica,deployment,phase} (1 for the current
// phase, 0 for the others) and hai_agent_replica_restarts{node,replica,deployment}.
std::string RenderReplicaMetrics(const std::string& node,
                                 const std::vector<ReplicaRunner::View>& replicas);

}  // namespace hai::agent
