#include "lib/placement/node_fit.h"

#include <algorithm>
#include <string>
#include <vector>

#include "lib/placement/device_selection.h"
#include "lib/placement/scoring.h"

namespace hai::placement {
namespace {

// `message` is a callable: refusals are counted on every node of every
// decision, but their text is built only when the decision reports it.
template <typename Message>
NodeFit Refuse(bool explain, const Node& node, ReasonCode code, Message&& message) {
  NodeFit f;
  f.refusal.node = node.name;
  f.refusal.reason = code;
  if (explain) f.refusal.message = message();
  return f;
}

// First unmet label requirement, if any.
const LabelRequirement* UnmetLabel(const PlacementRequest& r, const Node& node) {
  for (const LabelRequirement& want : r.node_selector) {
    auto it = node.labels.find(want.key);
    if (it == node.labels.end() || it->second != want.value) return &want;
  }
  return nullptr;
}

std::string LabelMessage(const LabelRequirement& want, const Node& node) {
  auto it = node.labels.find(want.key);
  std::string has =
      it == node.labels.end() ? "label absent" : "node has " + want.key + "=" + it->second;
  return "needs " + want.key + "=" + want.value + ", " + has;
}

std::optional<NodeFit> HostRefusal(const PlacementRequest& r, const Node& node,
                                   const NodeUsage& usage, bool explain) {
  int free_cores = node.inventory.cpu_cores - usage.cpu_cores;
  if (r.cpu_cores > free_cores)
    return Refuse(explain, node, ReasonCode::kCpu, [&] {
      return "needs " + std::to_string(r.cpu_cores) + " cores, " +
             std::to_string(std::max(free_cores, 0)) + " of " +
             std::to_string(node.inventory.cpu_cores) + " free";
    });
  int64_t free_mib = node.inventory.memory_mib - usage.host_memory_mib;
  if (r.host_memory_mib > free_mib)
    return Refuse(explain, node, ReasonCode::kMemory, [&] {
      return "needs " + std::to_string(r.host_memory_mib) + " MiB host memory, " +
             std::to_string(std::max<int64_t>(free_mib, 0)) + " MiB free";
    });
  return std::nullopt;
}

void AddHostLoad(const PlacementRequest& r, const Node& node, const NodeUsage& usage,
                 NodeLoad& load) {
  load.count_cpu = r.cpu_cores > 0;
  load.cpu_cores = node.inventory.cpu_cores;
  load.cpu_used_after = usage.cpu_cores + r.cpu_cores;
  load.count_host_memory = r.host_memory_mib > 0;
  load.host_mib = node.inventory.memory_mib;
  load.host_used_after_mib = usage.host_memory_mib + r.host_memory_mib;
}

// Cards grouped by (vendor, model, size): a replica never mixes them.
std::vector<std::vector<const accel::Device*>> Classes(const PlacementRequest& r,
                                                       std::optional<accel::Vendor> vendor,
                                                       const Node& node) {
  std::vector<std::vector<const accel::Device*>> classes;
  for (const accel::Device& d : node.inventory.devices) {
    if (d.vendor == accel::Vendor::kCpu) continue;
    if (vendor && d.vendor != *vendor) continue;
    if (!r.model.empty() && d.model != r.model) continue;
    auto same = [&](const std::vector<const accel::Device*>& c) {
      return c.front()->vendor == d.vendor && c.front()->model == d.model &&
             c.front()->memory_mib == d.memory_mib;
    };
    auto it = std::find_if(classes.begin(), classes.end(), same);
    if (it == classes.end())
      classes.push_back({&d});
    else
      it->push_back(&d);
  }
  return classes;
}

std::string VendorMismatchMessage(const PlacementRequest& r, const Node& node) {
  std::string want = (r.vendor.empty() ? std::string("accelerator") : r.vendor) +
                     (r.model.empty() ? "" : " " + r.model);
  std::vector<std::string> have;
  for (const accel::Device& d : node.inventory.devices) {
    std::string m = std::string(accel::VendorName(d.vendor)) + " " + d.model;
    if (std::find(have.begin(), have.end(), m) == have.end()) have.push_back(m);
  }
  std::string list;
  for (const std::string& m : have) list += (list.empty() ? "" : ", ") + m;
  return "no " + want + " devices (node has " + (list.empty() ? "none" : list) + ")";
}

NodeFit CpuOnlyFit(const PlacementRequest& r, const Node& node, const NodeUsage& usage) {
  NodeFit f;
  f.ok = true;
  f.placement.node = node.name;
  f.placement.vendor = accel::Vendor::kCpu;
  f.placement.cpu_cores = r.cpu_cores;
  f.placement.host_memory_mib = r.host_memory_mib;
  NodeLoad load;
  AddHostLoad(r, node, usage, load);
  f.score = NodeScore(load, r.node_policy);
  f.placement.score = f.score;
  return f;
}

}  // namespace

NodeFit FitNode(const PlacementRequest& r, std::optional<accel::Vendor> vendor, const Node& node,
                const NodeUsage& usage, bool explain) {
  if (node.state != NodeState::kReady)
    return Refuse(explain, node, ReasonCode::kNotReady, [] { return "node NotReady"; });
  if (!r.cluster.empty() && NodeCluster(node) != r.cluster)
    return Refuse(explain, node, ReasonCode::kLabelMismatch, [&] {
      return "in cluster " + NodeCluster(node) + ", not " + r.cluster;
    });
  if (const LabelRequirement* want = UnmetLabel(r, node))
    return Refuse(explain, node, ReasonCode::kLabelMismatch,
                  [&] { return LabelMessage(*want, node); });
  if (auto host = HostRefusal(r, node, usage, explain)) return *host;
  if (r.cpu_only()) return CpuOnlyFit(r, node, usage);

  auto classes = Classes(r, vendor, node);
  if (classes.empty())
    return Refuse(explain, node, ReasonCode::kVendorMismatch,
                  [&] { return VendorMismatchMessage(r, node); });
  NodeLoad host;
  AddHostLoad(r, node, usage, host);
  NodeFit best;
  int best_stage = -1;
  for (const auto& cards : classes) {
    DeviceSelection s = SelectDevices(r, cards, usage, host, explain);
    if (!s.ok) {
      if (!best.ok && s.stage > best_stage) {
        best_stage = s.stage;
        best = Refuse(explain, node, s.refusal.reason, [&] { return s.refusal.message; });
      }
      continue;
    }
    double score = s.score;
    if (best.ok && (r.node_policy == Policy::kFirstFit || score <= best.score)) continue;
    best = NodeFit{};
    best.ok = true;
    best.score = score;
    ReplicaPlacement& p = best.placement;
    p.node = node.name;
    p.vendor = cards.front()->vendor;
    p.model = cards.front()->model;
    p.device_indices = std::move(s.indices);
    p.memory_mib = s.memory_mib;
    p.exclusive = r.sharing == Sharing::kWholeDevice;
    p.cpu_cores = r.cpu_cores;
    p.host_memory_mib = r.host_memory_mib;
    p.score = score;
  }
  return best;
}

}  // namespace hai::placement
