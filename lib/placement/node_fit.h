#pragma once

#include <optional>

#include "lib/accel/device.h"
#include "lib/placement/cluster.h"
#include "lib/placement/decision.h"
#include "lib/placement/request.h"

namespace hai::placement {

// Whether and how one replica fits on one node. Filters in order: ready,
// labels, host CPU, host memory, then per (vendor, model, card size) class:
// health, card size, free capacity, topology. The first failing filter names
// the refusal; with several classes, the class that got furthest speaks.
struct NodeFit {
  bool ok = false;
  Refusal refusal;
  ReplicaPlacement placement;  // node, vendor, model, devices, claims; no env yet
  double score = 0;            // N + D (scoring.h)
};

// With `explain` false the refusal carries its code but no message (cheap);
// Decide() re-runs the refused nodes with `explain` only when it reports them.
NodeFit FitNode(const PlacementRequest& request, std::optional<accel::Vendor> vendor,
                const Node& node, const NodeUsage& usage, bool explain);

}  // namespace hai::placement
