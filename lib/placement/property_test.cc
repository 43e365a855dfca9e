// Seeded random clusters and request sequences, checked against a brute-force
// feasibility oracle and the ledger invariants.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "lib/placement/decide.h"
#include "lib/placement/memory_rules.h"
#include "lib/placement/placer.h"
#include "lib/placement/scoring.h"
#include "lib/placement/test_util.h"

namespace hai::placement {
namespace {

using accel::Device;
using Rng = std::mt19937;

int Pick(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

Node RandomNode(Rng& rng, int i) {
  bool ascend = Pick(rng, 0, 1);
  std::vector<Device> cards;
  for (int c = 0, n = Pick(rng, 2, 6); c < n; ++c) {
    const char* groups[] = {"g0", "g1", ""};
    Device d = testing::Card(ascend ? accel::Vendor::kAscend : accel::Vendor::kNvidia,
                             ascend ? "Ascend910B3" : "H100", c, ascend ? 65536 : 81559,
                             groups[Pick(rng, 0, 2)], Pick(rng, -1, 1));
    if (Pick(rng, 0, 3) == 0) d.memory_used_mib = Pick(rng, 0, 40000);
    if (Pick(rng, 0, 15) == 0) d.health = accel::Health::kCritical;
    cards.push_back(d);
  }
  Node n = testing::MakeNode("n" + std::to_string(i), cards, Pick(rng, 4, 32), 65536);
  n.labels["zone"] = Pick(rng, 0, 1) ? "a" : "b";
  if (Pick(rng, 0, 9) == 0) n.state = NodeState::kNotReady;
  return n;
}

PlacementRequest RandomRequest(Rng& rng) {
  PlacementRequest r;
  const char* vendors[] = {"", "ascend", "nvidia"};
  r.vendor = vendors[Pick(rng, 0, 2)];
  r.devices_per_replica = Pick(rng, 1, 4);
  if (Pick(rng, 0, 1)) {
    r.sharing = Sharing::kShared;
    r.memory_mib = Pick(rng, 1000, 70000);
  } else if (Pick(rng, 0, 3) == 0) {
    r.memory_mib = Pick(rng, 60000, 90000);
  }
  r.topology = static_cast<Topology>(Pick(rng, 0, 2));
  r.cpu_cores = Pick(rng, 0, 8);
  r.host_memory_mib = Pick(rng, 0, 1) * 8192;
  if (Pick(rng, 0, 4) == 0) r.node_selector = {{"zone", "a"}};
  r.replicas = Pick(rng, 1, 3);
  r.gang = Pick(rng, 0, 1);
  r.node_policy = static_cast<Policy>(Pick(rng, 0, 2));
  r.device_policy = static_cast<Policy>(Pick(rng, 0, 2));
  return r;
}

// --- Brute-force oracle: every k-subset of a node's cards. ---

bool CardMatches(const PlacementRequest& r, const Device& d, const NodeUsage& u) {
  if (!r.vendor.empty() && accel::VendorName(d.vendor) != r.vendor) return false;
  if (d.health == accel::Health::kCritical) return false;
  if (r.memory_mib > 0 && d.memory_mib < r.memory_mib) return false;
  const DeviceUsage& du = u.Device(d.index);
  if (r.sharing == Sharing::kWholeDevice) return WholeFree(d, du);
  return !du.exclusive && FreeMib(d, du) >= RoundSliceMib(d, r.memory_mib);
}

bool SetOk(const PlacementRequest& r, const std::vector<const Device*>& set) {
  for (const Device* d : set) {
    const Device& f = *set.front();
    if (d->vendor != f.vendor || d->model != f.model || d->memory_mib != f.memory_mib) return false;
    if (set.size() == 1) continue;
    if (r.topology == Topology::kSameGroup &&
        (f.topology_group.empty() || d->topology_group != f.topology_group))
      return false;
    if (r.topology == Topology::kSameNuma && (f.numa_node < 0 || d->numa_node != f.numa_node))
      return false;
  }
  return true;
}

template <typename Fn>
void ForEachSubset(const std::vector<const Device*>& cards, int k, Fn&& fn,
                   std::vector<const Device*>& cur, size_t from = 0) {
  if (static_cast<int>(cur.size()) == k) return fn(cur);
  for (size_t i = from; i < cards.size(); ++i) {
    cur.push_back(cards[i]);
    ForEachSubset(cards, k, fn, cur, i + 1);
    cur.pop_back();
  }
}

bool HostOk(const PlacementRequest& r, const Node& n, const NodeUsage& u) {
  if (n.state != NodeState::kReady) return false;
  for (const auto& l : r.node_selector) {
    auto it = n.labels.find(l.key);
    if (it == n.labels.end() || it->second != l.value) return false;
  }
  return r.cpu_cores <= n.inventory.cpu_cores - u.cpu_cores &&
         r.host_memory_mib <= n.inventory.memory_mib - u.host_memory_mib;
}

bool NodeFeasible(const PlacementRequest& r, const Node& n, const NodeUsage& u) {
  if (!HostOk(r, n, u)) return false;
  std::vector<const Device*> ok;
  for (const Device& d : n.inventory.devices)
    if (CardMatches(r, d, u)) ok.push_back(&d);
  bool found = false;
  std::vector<const Device*> cur;
  ForEachSubset(
      ok, r.devices_per_replica, [&](const auto& s) { found = found || SetOk(r, s); }, cur);
  return found;
}

// The documented score N + D of putting a k=1 replica on card `c`, rebuilt
// here from the formulas rather than from the selection code.
double OracleScoreK1(const PlacementRequest& r, const Node& n, const NodeUsage& u,
                     const Device& c) {
  std::vector<GroupStats> groups;
  std::vector<std::string> names;
  DeviceCandidate cand;
  NodeLoad load;
  int64_t claim = r.sharing == Sharing::kShared ? RoundSliceMib(c, r.memory_mib) : c.memory_mib;
  for (const Device& d : n.inventory.devices) {
    if (d.vendor != c.vendor || d.model != c.model || d.memory_mib != c.memory_mib) continue;
    size_t g = names.size();
    if (!d.topology_group.empty())
      g = std::find(names.begin(), names.end(), d.topology_group) - names.begin();
    if (g == names.size()) {
      names.push_back(d.topology_group.empty() ? "#" + std::to_string(d.index) : d.topology_group);
      groups.push_back({0, 0, !d.topology_group.empty()});
    }
    const DeviceUsage& du = u.Device(d.index);
    groups[g].size++;
    groups[g].whole_free += WholeFree(d, du);
    bool picked = &d == &c;
    int64_t after = EffectiveUsedMib(d, du) + (picked ? claim : 0);
    if (picked && r.sharing == Sharing::kWholeDevice) after = d.memory_mib;
    if (picked) cand = {&d, static_cast<int>(g), d.memory_mib, after, WholeFree(d, du)};
    load.cards++;
    load.cards_held_after += (du.holders > 0 || picked);
    load.card_mib += d.memory_mib;
    load.card_used_after_mib += std::min(d.memory_mib, after);
  }
  load.count_cpu = r.cpu_cores > 0;
  load.cpu_cores = n.inventory.cpu_cores;
  load.cpu_used_after = u.cpu_cores + r.cpu_cores;
  load.count_host_memory = r.host_memory_mib > 0;
  load.host_mib = n.inventory.memory_mib;
  load.host_used_after_mib = u.host_memory_mib + r.host_memory_mib;
  return NodeScore(load, r.node_policy) + DeviceSetScore({&cand}, groups, r.device_policy);
}

double OracleBestK1(const PlacementRequest& r, const ClusterState& s) {
  double best = -1;
  s.ForEachNode([&](const Node& n, const NodeUsage& u) {
    if (!HostOk(r, n, u)) return;
    for (const Device& d : n.inventory.devices)
      if (CardMatches(r, d, u)) best = std::max(best, OracleScoreK1(r, n, u, d));
  });
  return best;
}

// --- Checks on one decision. ---

void CheckDecision(const PlacementRequest& r, const ClusterState& s, const Decision& d) {
  std::set<std::string> feasible_nodes, refused;
  s.ForEachNode([&](const Node& n, const NodeUsage& u) {
    if (NodeFeasible(r, n, u)) feasible_nodes.insert(n.name);
  });
  for (const Refusal& f : d.reasons) {
    if (f.node.empty()) continue;
    refused.insert(f.node);
    const Node* n = s.FindNode(f.node);
    ASSERT_NE(n, nullptr);
    bool fits_empty =
        r.cpu_cores <= n->inventory.cpu_cores && r.host_memory_mib <= n->inventory.memory_mib;
    if (n->state != NodeState::kReady) {
      EXPECT_EQ(f.reason, ReasonCode::kNotReady);
    } else if (!HostOk(r, *n, NodeUsage{}) && fits_empty) {
      EXPECT_EQ(f.reason, ReasonCode::kLabelMismatch) << f.message;
    }
  }
  if (r.gang) {  // all or nothing, on distinct nodes
    EXPECT_TRUE(d.replicas.empty() || static_cast<int>(d.replicas.size()) == r.replicas);
    EXPECT_EQ(d.feasible, static_cast<int>(feasible_nodes.size()) >= r.replicas);
    std::set<std::string> used;
    for (const auto& p : d.replicas) EXPECT_TRUE(used.insert(p.node).second);
  } else if (r.replicas == 1) {
    EXPECT_EQ(d.feasible, !feasible_nodes.empty());
  }
  if (!d.feasible && (r.gang || r.replicas == 1)) {  // reasons name exactly the misfits
    std::set<std::string> infeasible;
    s.ForEachNode([&](const Node& n, const NodeUsage&) {
      if (!feasible_nodes.count(n.name)) infeasible.insert(n.name);
    });
    EXPECT_EQ(refused, infeasible);
  }
  for (const ReplicaPlacement& p : d.replicas) {
    const Node* n = s.FindNode(p.node);
    ASSERT_NE(n, nullptr);
    EXPECT_TRUE(feasible_nodes.count(p.node) || (!r.gang && r.replicas > 1)) << p.node;
    std::vector<const Device*> set;
    for (int i : p.device_indices)
      for (const Device& dev : n->inventory.devices)
        if (dev.index == i) set.push_back(&dev);
    ASSERT_EQ(static_cast<int>(set.size()), r.devices_per_replica);
    EXPECT_TRUE(SetOk(r, set)) << "topology or class violated on " << p.node;
  }
  bool scored = r.node_policy != Policy::kFirstFit && r.device_policy != Policy::kFirstFit;
  if (scored && r.devices_per_replica == 1 && r.replicas == 1 && d.feasible) {
    EXPECT_NEAR(d.replicas[0].score, OracleBestK1(r, s), 1e-9);
  }
}

TEST(PlacementPropertyTest, RandomSequencesAgreeWithBruteForce) {
  int decisions = 0, feasible = 0;
  for (uint32_t seed = 1; seed <= 400; ++seed) {
    Rng rng(seed);
    InMemoryLedger ledger;
    Placer placer(ledger);
    ClusterState mirror;  // the same view, for the oracle
    std::vector<Node> nodes;
    for (int i = 0, n = Pick(rng, 2, 4); i < n; ++i) nodes.push_back(RandomNode(rng, i));
    for (const Node& n : nodes) {
      placer.UpsertNode(n);
      mirror.UpsertNode(n);
    }
    for (int op = 0; op < 25; ++op) {
      std::string holder = "h" + std::to_string(Pick(rng, 0, 7));
      if (Pick(rng, 0, 3) == 0) {
        Result<std::vector<Allocation>> freed = placer.Release(holder);
        ASSERT_TRUE(freed.ok());
        for (const Allocation& a : *freed) mirror.Unapply(a);
      } else {
        PlacementRequest r = RandomRequest(rng);
        Result<Decision> d = placer.Place(r);
        ASSERT_TRUE(d.ok()) << d.status().ToString();
        SCOPED_TRACE("seed " + std::to_string(seed) + " op " + std::to_string(op));
        CheckDecision(r, mirror, *d);
        ++decisions;
        feasible += d->feasible;
        if (d->replicas.empty()) continue;
        Result<std::vector<Allocation>> stored = placer.Bind(*d, holder, op);
        ASSERT_TRUE(stored.ok()) << stored.status().ToString();  // nothing raced it
        for (const Allocation& a : *stored) mirror.Apply(a);
      }
      ASSERT_EQ(testing::DoubleBooking(*ledger.List(), nodes), "") << "seed " << seed;
    }
  }
  EXPECT_GT(feasible, decisions / 10);  // the generator exercises both outcomes
  EXPECT_LT(feasible, decisions);
}

}  // namespace
}  // namespace hai::placement
