#include "lib/placement/device_selection.h"

#include <algorithm>
#include <string_view>

#include "lib/placement/memory_rules.h"

namespace hai::placement {
namespace {

// Stages of refusal, so that a node with several classes reports the one that got furthest.
constexpr int kStageUnhealthy = 1, kStageTooSmall = 2, kStageBusy = 3, kStageTopology = 4;

std::string_view LinkName(accel::Vendor v) {
  switch (v) {
    case accel::Vendor::kAscend:
      return "HCCS group";
    case accel::Vendor::kNvidia:
      return "NVLink group";
    case accel::Vendor::kMetax:
      return "MetaXLink group";
    default:
      return "topology group";
  }
}

// `message` is a callable: the text is built only when the caller will report it.
template <typename Message>
DeviceSelection Refuse(bool explain, int stage, ReasonCode code, Message&& message) {
  DeviceSelection s;
  s.stage = stage;
  s.refusal.reason = code;
  if (explain) s.refusal.message = message();
  return s;
}

// Working view of the class: groups and the usable cards.
struct ClassView {
  const PlacementRequest& r;
  NodeLoad base;  // host terms plus the class's cards before placement
  bool whole = true;
  int64_t claim = 0;  // per card
  std::vector<GroupStats> groups;
  std::vector<std::string_view> group_names;
  std::vector<DeviceCandidate> usable;
};

int GroupOf(ClassView& v, const accel::Device& d) {
  if (!d.topology_group.empty())
    for (size_t g = 0; g < v.group_names.size(); ++g)
      if (v.groups[g].linked && v.group_names[g] == d.topology_group) return static_cast<int>(g);
  v.group_names.push_back(d.topology_group);
  v.groups.push_back({0, 0, !d.topology_group.empty()});
  return static_cast<int>(v.groups.size() - 1);
}

// Sort key per device policy; ties go to best fit (fewest whole-free cards in
// the group), then to the lower index so results are deterministic.
void SortPool(std::vector<const DeviceCandidate*>& pool, const ClassView& v, Policy p) {
  std::sort(pool.begin(), pool.end(), [&](const DeviceCandidate* a, const DeviceCandidate* b) {
    if (p != Policy::kFirstFit) {
      double ua = UsageAfter(*a), ub = UsageAfter(*b);
      if (ua != ub) return p == Policy::kSpread ? ua < ub : ua > ub;
      int fa = v.groups[a->group].whole_free, fb = v.groups[b->group].whole_free;
      if (fa != fb) return fa < fb;
    }
    return a->device->index < b->device->index;
  });
}

// The node's load once `chosen` holds the claim (for N in scoring.h): the
// class's load before placement plus each chosen card's delta, O(k).
NodeLoad LoadAfter(const ClassView& v, const DeviceSet& chosen) {
  NodeLoad l = v.base;
  for (const DeviceCandidate* c : chosen) {
    l.cards_held_after += c->held ? 0 : 1;
    if (c->total_mib > 0) l.card_used_after_mib += c->used_after_mib - c->used_before_mib;
  }
  return l;
}

struct Best {
  DeviceSet set;
  double score = -1;  // N + D
};

// Within a node the set maximises the same total N + D that ranks nodes, so
// the two levels never disagree (the node term moves with measured memory
// absorbed and with how many cards become held).
void Consider(Best& best, DeviceSet set, const ClassView& v) {
  Policy dp = v.r.device_policy;
  double score = dp == Policy::kFirstFit ? 0
                                         : NodeScore(LoadAfter(v, set), v.r.node_policy) +
                                               DeviceSetScore(set, v.groups, dp);
  if (best.score < 0 || score > best.score) best = {std::move(set), score};
}

// Best k cards of a pool: inside one group when some group has k usable cards,
// else (if allowed) filling from the groups with most usable cards first (HAMi).
void BestInPool(const DeviceSet& pool, int k, bool cross_group, const ClassView& v, Best& best) {
  const Policy p = v.r.device_policy;
  if (static_cast<int>(pool.size()) < k) return;
  if (p == Policy::kFirstFit && cross_group) {
    if (best.score < 0) best = {DeviceSet(pool.begin(), pool.begin() + k), 0};
    return;
  }
  if (k == 1 && p != Policy::kFirstFit) {  // few cards: score each one exactly
    for (const DeviceCandidate* c : pool) Consider(best, {c}, v);
    return;
  }
  std::vector<DeviceSet> by_group(v.groups.size());
  for (const DeviceCandidate* c : pool) by_group[c->group].push_back(c);
  bool found = false;
  for (const DeviceSet& g : by_group) {
    if (static_cast<int>(g.size()) < k) continue;
    found = true;
    Consider(best, DeviceSet(g.begin(), g.begin() + k), v);
    if (p == Policy::kFirstFit) return;
  }
  if (found || !cross_group) return;
  std::vector<const DeviceSet*> order;
  for (const DeviceSet& g : by_group)
    if (!g.empty()) order.push_back(&g);
  std::stable_sort(order.begin(), order.end(),
                   [](const DeviceSet* a, const DeviceSet* b) { return a->size() > b->size(); });
  DeviceSet set;
  for (const DeviceSet* g : order)
    for (const DeviceCandidate* c : *g)
      if (static_cast<int>(set.size()) < k) set.push_back(c);
  Consider(best, std::move(set), v);
}

// Pools per topology mode: whole class (any), per NUMA node, or per group.
std::vector<DeviceSet> Pools(const ClassView& v, Topology t, int k) {
  DeviceSet all;
  for (const DeviceCandidate& c : v.usable) all.push_back(&c);
  if (t == Topology::kAny || k == 1) return {all};
  std::vector<DeviceSet> pools;
  std::vector<int> keys;
  for (const DeviceCandidate* c : all) {
    int key = t == Topology::kSameGroup ? c->group : c->device->numa_node;
    bool alone = t == Topology::kSameGroup ? !v.groups[c->group].linked : key < 0;
    auto it = std::find(keys.begin(), keys.end(), key);
    if (alone || it == keys.end()) {
      keys.push_back(alone ? -2 - static_cast<int>(keys.size()) : key);
      pools.push_back({c});
    } else {
      pools[it - keys.begin()].push_back(c);
    }
  }
  return pools;
}

}  // namespace

DeviceSelection SelectDevices(const PlacementRequest& r,
                              const std::vector<const accel::Device*>& cards,
                              const NodeUsage& usage, const NodeLoad& host_load, bool explain) {
  const int k = r.devices_per_replica;
  const bool whole = r.sharing == Sharing::kWholeDevice;
  const accel::Device& first = *cards.front();
  const std::string& model = first.model;
  ClassView v{r, host_load, whole};
  v.base.cards = static_cast<int>(cards.size());
  int healthy = 0, big = 0;
  int64_t largest = -1, claim = 0;
  for (const accel::Device* d : cards) {
    const DeviceUsage& u = usage.Device(d->index);
    int g = GroupOf(v, *d);
    const int64_t used = EffectiveUsedMib(*d, u), used_capped = std::min(used, d->memory_mib);
    v.base.cards_held_after += u.holders > 0 ? 1 : 0;
    if (d->memory_mib > 0) {
      v.base.card_mib += d->memory_mib;
      v.base.card_used_after_mib += used_capped;
    }
    v.groups[g].size++;
    v.groups[g].whole_free += WholeFree(*d, u) ? 1 : 0;
    if (d->health == accel::Health::kCritical) continue;
    ++healthy;
    largest = std::max(largest, d->memory_mib);
    bool big_enough = r.memory_mib == 0 || d->memory_mib >= r.memory_mib;
    if (!big_enough) continue;
    ++big;
    int64_t c = whole ? std::max<int64_t>(d->memory_mib, 0) : RoundSliceMib(*d, r.memory_mib);
    v.claim = claim = c;  // one class, one size: every card rounds the same
    bool fits = whole ? WholeFree(*d, u) : (c > 0 && !u.exclusive && FreeMib(*d, u) >= c);
    if (!fits) continue;
    v.usable.push_back({d, g, std::max<int64_t>(d->memory_mib, 0),
                        whole ? std::max<int64_t>(d->memory_mib, 0) : used + c, WholeFree(*d, u),
                        used_capped, u.holders > 0});
  }
  if (healthy == 0)
    return Refuse(explain, kStageUnhealthy, ReasonCode::kUnhealthy, [&] {
      return "all " + std::to_string(cards.size()) + " " + model + " are critical";
    });
  if (healthy < k)
    return Refuse(explain, kStageTooSmall, ReasonCode::kInsufficientDevices, [&] {
      return std::to_string(healthy) + " healthy " + model + ", need " + std::to_string(k);
    });
  if (big < k)
    return Refuse(explain, kStageTooSmall, ReasonCode::kInsufficientMemory, [&] {
      return std::to_string(big) + " " + model + " with >= " + std::to_string(r.memory_mib) +
             " MiB, need " + std::to_string(k) + " (largest has " + std::to_string(largest) +
             " MiB)";
    });
  const int usable = static_cast<int>(v.usable.size());
  if (usable < k) {
    if (whole)
      return Refuse(explain, kStageBusy, ReasonCode::kInsufficientDevices, [&] {
        return std::to_string(usable) + " free " + model + ", need " + std::to_string(k);
      });
    return Refuse(explain, kStageBusy, ReasonCode::kInsufficientMemory, [&] {
      return std::to_string(usable) + " " + model + " with " + std::to_string(claim) +
             " MiB free, need " + std::to_string(k);
    });
  }
  Best best;
  size_t largest_pool = 0;
  for (DeviceSet& pool : Pools(v, r.topology, k)) {
    largest_pool = std::max(largest_pool, pool.size());
    SortPool(pool, v, r.device_policy);
    BestInPool(pool, k, r.topology != Topology::kSameGroup, v, best);
    if (r.device_policy == Policy::kFirstFit && best.score >= 0) break;
  }
  if (best.score < 0) {
    return Refuse(explain, kStageTopology, ReasonCode::kTopology, [&] {
      std::string where = r.topology == Topology::kSameGroup
                              ? "in one " + std::string(LinkName(first.vendor))
                              : std::string("on one NUMA node");
      return std::to_string(largest_pool) + " free " + model + " " + where + ", need " +
             std::to_string(k);
    });
  }
  DeviceSelection s;
  s.ok = true;
  for (const DeviceCandidate* c : best.set) s.indices.push_back(c->device->index);
  std::sort(s.indices.begin(), s.indices.end());
  s.memory_mib = claim;
  s.score = best.score;
  return s;
}

}  // namespace hai::placement
