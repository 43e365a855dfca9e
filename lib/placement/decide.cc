#include "lib/placement/decide.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "lib/placement/node_fit.h"

namespace hai::placement {
namespace {

// Higher score first; among equals (and always under first-fit) the earlier node.
bool Better(const NodeFit& a, const NodeFit& b, Policy p) {
  if (p == Policy::kFirstFit) return false;
  return a.score > b.score;
}

// Every node of the view with its usage and its fit for one replica.
struct Evaluation {
  const PlacementRequest& r;
  std::optional<accel::Vendor> vendor;
  std::vector<const Node*> nodes;
  std::vector<const NodeUsage*> usage;
  std::vector<NodeFit> fits;
  std::map<size_t, NodeUsage> scratch;  // node position -> usage incl. this decision
};

// Refusals of every node that did not fit, with messages: those nodes are
// evaluated again with explain on, against the usage they were refused with.
void AddRefusals(const Evaluation& e, Decision& d) {
  for (size_t i = 0; i < e.fits.size(); ++i)
    if (!e.fits[i].ok)
      d.reasons.push_back(FitNode(e.r, e.vendor, *e.nodes[i], *e.usage[i], true).refusal);
}

void DecideGang(Evaluation& e, Decision& d) {
  const PlacementRequest& r = e.r;
  std::vector<const NodeFit*> ok;
  for (const NodeFit& f : e.fits)
    if (f.ok) ok.push_back(&f);
  std::stable_sort(ok.begin(), ok.end(), [&](const NodeFit* a, const NodeFit* b) {
    return Better(*a, *b, r.node_policy);
  });
  if (static_cast<int>(ok.size()) < r.replicas) {
    AddRefusals(e, d);
    d.reasons.push_back({"", ReasonCode::kGang,
                         std::to_string(ok.size()) + " of " + std::to_string(e.fits.size()) +
                             " nodes can hold a replica, gang needs " + std::to_string(r.replicas) +
                             " distinct nodes"});
    return;
  }
  for (int i = 0; i < r.replicas; ++i) d.replicas.push_back(ok[i]->placement);
}

void DecidePlain(Evaluation& e, Decision& d) {
  const PlacementRequest& r = e.r;
  std::vector<NodeFit>& fits = e.fits;
  for (int i = 0; i < r.replicas; ++i) {
    size_t best = fits.size();
    for (size_t n = 0; n < fits.size(); ++n)
      if (fits[n].ok && (best == fits.size() || Better(fits[n], fits[best], r.node_policy)))
        best = n;
    if (best == fits.size()) break;
    d.replicas.push_back(fits[best].placement);
    auto [it, fresh] = e.scratch.try_emplace(best);
    if (fresh) it->second = *e.usage[best];
    AddClaims(it->second, ToAllocation(fits[best].placement, "", 0));
    e.usage[best] = &it->second;
    fits[best] = FitNode(r, e.vendor, *e.nodes[best], it->second, false);
  }
  if (static_cast<int>(d.replicas.size()) < r.replicas) AddRefusals(e, d);
}

}  // namespace

Allocation ToAllocation(const ReplicaPlacement& p, const std::string& holder, int64_t now_ms) {
  Allocation a;
  a.holder = holder;
  a.node = p.node;
  a.device_indices = p.device_indices;
  a.memory_mib = p.memory_mib;
  a.exclusive = p.exclusive;
  a.cpu_cores = p.cpu_cores;
  a.host_memory_mib = p.host_memory_mib;
  a.since_ms = now_ms;
  return a;
}

Result<Decision> Decide(const PlacementRequest& r, const ClusterState& state,
                        const VisibleDevicesEnvFn& env) {
  HAI_RETURN_IF_ERROR(Validate(r));
  Decision d;
  d.gang = r.gang;
  d.requested_replicas = r.replicas;
  Evaluation e{r, r.ParsedVendor(), {}, {}, {}, {}};
  e.nodes.reserve(state.node_count());
  e.usage.reserve(state.node_count());
  e.fits.reserve(state.node_count());
  state.ForEachNode([&](const Node& node, const NodeUsage& usage) {
    e.nodes.push_back(&node);
    e.usage.push_back(&usage);
    e.fits.push_back(FitNode(r, e.vendor, node, usage, false));
  });
  if (e.nodes.empty()) {
    d.reasons.push_back({"", ReasonCode::kNoNodes, "the cluster view holds no node"});
    return d;
  }
  if (r.gang)
    DecideGang(e, d);
  else
    DecidePlain(e, d);
  for (size_t i = 0; i < d.replicas.size(); ++i) {
    ReplicaPlacement& p = d.replicas[i];
    p.replica = static_cast<int>(i);
    if (!p.device_indices.empty() && env) p.env = env(p.vendor, p.device_indices);
  }
  d.feasible = static_cast<int>(d.replicas.size()) == r.replicas;
  return d;
}

}  // namespace hai::placement
