#pragma once

#include <cstdint>
#include <string>

#include "lib/base/status.h"
#include "lib/placement/cluster.h"
#include "lib/placement/decision.h"
#include "lib/placement/request.h"

namespace hai::placement {

// Pure decision: filter and score every node of `state` for `request` and
// pick places for its replicas. Reads `state` only; the Placer supplies
// locking. InvalidArgument when Validate() rejects the request; otherwise a
// Decision (feasible or not, with reasons).
//
// Gang: every node is scored once, the best `replicas` distinct nodes win;
// fewer fitting nodes -> no replicas at all. Plain: replicas go one after
// another, each on the best node given the ones already chosen (so several
// may share a node), stopping at the first that fits nowhere.
Result<Decision> Decide(const PlacementRequest& request, const ClusterState& state,
                        const VisibleDevicesEnvFn& env = DefaultVisibleDevicesEnv);

// The ledger record for one placed replica.
Allocation ToAllocation(const ReplicaPlacement& replica, const std::string& holder, int64_t now_ms);

}  // namespace hai::placement
