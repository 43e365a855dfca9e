#pragma once

#include <string>
#include <vector>

#include "lib/accel/device.h"
#include "lib/placement/cluster.h"
#include "lib/placement/decision.h"
#include "lib/placement/request.h"
#include "lib/placement/scoring.h"

namespace hai::placement {

// The outcome of choosing k cards of one (vendor, model) class on one node.
struct DeviceSelection {
  bool ok = false;
  Refusal refusal;           // when !ok; node left empty for the caller to fill
  int stage = 0;             // how far the class got before refusal (higher = closer)
  std::vector<int> indices;  // physical, ascending
  int64_t memory_mib = 0;    // claimed per card
  double score = 0;          // N + D in scoring.h; 0 under first-fit
};

// `cards` are all cards of the class on the node (same vendor and model).
// Filters health, card size, free capacity (ledger + measurement) and
// topology, then picks the set with the best N + D; `host_load` carries the
// node's CPU / RAM terms of N. Refusal messages are built only when `explain`.
DeviceSelection SelectDevices(const PlacementRequest& request,
                              const std::vector<const accel::Device*>& cards,
                              const NodeUsage& usage, const NodeLoad& host_load, bool explain);

}  // namespace hai::placement
