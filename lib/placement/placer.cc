#include "lib/placement/placer.h"

#include <algorithm>
#include <mutex>

#include "lib/placement/decide.h"

namespace hai::placement {
namespace {

const accel::Device* FindDevice(const Node& node, int index) {
  for (const accel::Device& d : node.inventory.devices)
    if (d.index == index) return &d;
  return nullptr;
}

Status Stale(const std::string& why) {
  return Status::FailedPrecondition("stale decision, place again: " + why);
}

}  // namespace

Placer::Placer(Ledger& ledger, PlacerOptions options)
    : ledger_(ledger), options_(std::move(options)) {}

Status Placer::Load() {
  HAI_ASSIGN_OR_RETURN(std::vector<Allocation> all, ledger_.List());
  std::unique_lock lock(mu_);
  state_.ClearClaims();
  for (const Allocation& a : all) state_.Apply(a);
  return Status::Ok();
}

void Placer::UpsertNode(Node node) {
  std::unique_lock lock(mu_);
  state_.UpsertNode(std::move(node));
}

Status Placer::SetNodeState(const std::string& name, NodeState s) {
  std::unique_lock lock(mu_);
  if (!state_.SetState(name, s)) return Status::NotFound("no node " + name);
  return Status::Ok();
}

Status Placer::RemoveNode(const std::string& name) {
  std::unique_lock lock(mu_);
  if (!state_.RemoveNode(name)) return Status::NotFound("no node " + name);
  return Status::Ok();
}

Result<Decision> Placer::Place(const PlacementRequest& request) const {
  std::shared_lock lock(mu_);
  return Decide(request, state_, options_.env);
}

// Re-verifies one replica against the current view and claims (which already
// include the decision's earlier replicas), then applies it.
Status Placer::CheckAndApply(const Allocation& a, const ReplicaPlacement& p) {
  const Node* node = state_.FindNode(a.node);
  if (!node) return Stale("node " + a.node + " left the view");
  if (node->state != NodeState::kReady) return Stale("node " + a.node + " is NotReady");
  const NodeUsage& usage = state_.UsageOf(a.node);
  if (a.cpu_cores > node->inventory.cpu_cores - usage.cpu_cores)
    return Stale("cores on " + a.node + " taken");
  if (a.host_memory_mib > node->inventory.memory_mib - usage.host_memory_mib)
    return Stale("host memory on " + a.node + " taken");
  for (int index : a.device_indices) {
    const accel::Device* d = FindDevice(*node, index);
    std::string where = a.node + " device " + std::to_string(index);
    if (!d || d->vendor != p.vendor || d->model != p.model) return Stale(where + " changed");
    if (d->health == accel::Health::kCritical) return Stale(where + " is critical");
    const DeviceUsage& u = usage.Device(index);
    bool fits = a.exclusive ? WholeFree(*d, u) : (!u.exclusive && FreeMib(*d, u) >= a.memory_mib);
    if (!fits) return Stale(where + " is taken");
  }
  state_.Apply(a);
  return Status::Ok();
}

Result<std::vector<Allocation>> Placer::BindLocked(const Decision& decision,
                                                   const std::string& holder, int64_t now_ms) {
  if (holder.empty()) return Status::InvalidArgument("empty holder", "holder");
  if (decision.replicas.empty()) return Status::FailedPrecondition("nothing to bind");
  if (decision.gang && !decision.feasible)
    return Status::FailedPrecondition("an infeasible gang binds nothing");
  std::vector<Allocation> allocs;
  for (const ReplicaPlacement& p : decision.replicas) {
    allocs.push_back(ToAllocation(p, holder, now_ms));
    Status s = CheckAndApply(allocs.back(), p);
    if (!s.ok()) {
      allocs.pop_back();
      for (const Allocation& a : allocs) state_.Unapply(a);
      return s;
    }
  }
  Result<std::vector<Allocation>> stored = ledger_.Commit(allocs);
  if (!stored.ok())
    for (const Allocation& a : allocs) state_.Unapply(a);
  return stored;
}

Result<std::vector<Allocation>> Placer::Bind(const Decision& decision, const std::string& holder,
                                             int64_t now_ms) {
  std::unique_lock lock(mu_);
  return BindLocked(decision, holder, now_ms);
}

Result<Decision> Placer::PlaceAndBind(const PlacementRequest& request, const std::string& holder,
                                      int64_t now_ms) {
  std::unique_lock lock(mu_);
  HAI_ASSIGN_OR_RETURN(Decision d, Decide(request, state_, options_.env));
  if (d.replicas.empty()) return d;
  HAI_ASSIGN_OR_RETURN(std::vector<Allocation> stored, BindLocked(d, holder, now_ms));
  (void)stored;
  return d;
}

Result<std::vector<Allocation>> Placer::Release(const std::string& holder) {
  std::unique_lock lock(mu_);
  HAI_ASSIGN_OR_RETURN(std::vector<Allocation> removed, ledger_.RemoveHolder(holder));
  for (const Allocation& a : removed) state_.Unapply(a);
  return removed;
}

Result<std::vector<std::string>> Placer::ReleaseNode(const std::string& node) {
  std::unique_lock lock(mu_);
  HAI_ASSIGN_OR_RETURN(std::vector<Allocation> removed, ledger_.RemoveNode(node));
  std::vector<std::string> holders;
  for (const Allocation& a : removed) {
    state_.Unapply(a);
    if (std::find(holders.begin(), holders.end(), a.holder) == holders.end())
      holders.push_back(a.holder);
  }
  state_.SetState(node, NodeState::kNotReady);
  return holders;
}

NodeUsage Placer::UsageOf(const std::string& node) const {
  std::shared_lock lock(mu_);
  return state_.UsageOf(node);
}

}  // namespace hai::placement
