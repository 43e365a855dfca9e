#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/placement/cluster.h"
#include "lib/placement/decision.h"
#include "lib/placement/ledger.h"
#include "lib/placement/request.h"

namespace hai::placement {

struct PlacerOptions {
  // Maps (vendor, physical indices) to visible-devices env; lib/accel's
  // adapters supply the real one.
  VisibleDevicesEnvFn env = DefaultVisibleDevicesEnv;
};

// The placement engine the scheduler daemon calls: a cluster view (nodes
// from agent reports) plus ledger claims, and Place / Bind / Release on them.
//
// Thread-safe. One std::shared_mutex: Place() reads under a shared lock, so
// decisions run in parallel; Bind(), Release*() and view updates take it
// exclusively. Bind() is an optimistic check at commit: under the exclusive
// lock it re-verifies every replica of the decision against the current
// claims and inventory (the decision may be stale) and then commits all of
// them to the Ledger in one call, or nothing. A stale decision fails with
// kFailedPrecondition and the caller places again; PlaceAndBind() does both
// under one exclusive lock and never sees a stale decision. Either way no
// card is ever double-booked.
class Placer {
 public:
  // `ledger` must outlive the Placer.
  explicit Placer(Ledger& ledger, PlacerOptions options = {});

  // Rebuilds the claim index from Ledger::List(); call once before serving.
  Status Load();

  // The cluster view. Nodes not in the view are never chosen; their claims stay.
  void UpsertNode(Node node);
  Status SetNodeState(const std::string& name, NodeState state);
  Status RemoveNode(const std::string& name);

  Result<Decision> Place(const PlacementRequest& request) const;
  // Commits every replica of `decision` for `holder`; returns the stored allocations.
  Result<std::vector<Allocation>> Bind(const Decision& decision, const std::string& holder,
                                       int64_t now_ms);
  // Place + Bind under one lock. A feasible (or partial plain) decision is bound;
  // an infeasible gang is returned unbound with its reasons.
  Result<Decision> PlaceAndBind(const PlacementRequest& request, const std::string& holder,
                                int64_t now_ms);

  // Frees every allocation of `holder`; empty when it held none (idempotent).
  Result<std::vector<Allocation>> Release(const std::string& holder);
  // Node loss: frees every allocation on `node`, marks it NotReady, and returns
  // the holders that lost something (each once, in ledger order).
  Result<std::vector<std::string>> ReleaseNode(const std::string& node);

  NodeUsage UsageOf(const std::string& node) const;  // a copy, for tests and metrics

 private:
  Result<std::vector<Allocation>> BindLocked(const Decision& decision, const std::string& holder,
                                             int64_t now_ms);
  Status CheckAndApply(const Allocation& a, const ReplicaPlacement& p);

  Ledger& ledger_;
  const PlacerOptions options_;
  mutable std::shared_mutex mu_;
  ClusterState state_;  // GUARDED_BY(mu_)
};

}  // namespace hai::placement
