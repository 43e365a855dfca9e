#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lib/accel/device.h"

namespace hai::placement {

enum class NodeState { kReady, kNotReady };

// One node of the cluster view the scheduler daemon keeps from agent reports.
struct Node {
  std::string name;
  NodeState state = NodeState::kReady;
  std::map<std::string, std::string> labels;
  accel::NodeInventory inventory;  // devices carry measured memory_used_mib
};

// A cluster is a named group of nodes: those whose `cluster` label names it.
// Nodes without the label form the "default" cluster.
inline constexpr char kClusterLabel[] = "cluster";
inline constexpr char kDefaultCluster[] = "default";
std::string NodeCluster(const Node& node);

// One replica's claim in the ledger.
struct Allocation {
  std::string id;      // assigned by the Ledger on commit
  std::string holder;  // who owns it (instance / deployment id, the daemon's choice)
  std::string node;
  std::vector<int> device_indices;  // physical indices (accel::Device::index)
  int64_t memory_mib = 0;           // claimed per device (rounded slice, or the card size)
  bool exclusive = false;           // whole-device claim: nobody else on these cards
  int cpu_cores = 0;
  int64_t host_memory_mib = 0;
  int64_t since_ms = 0;  // epoch ms of Bind
};

// Ledger claims summed per device and per node.
struct DeviceUsage {
  int64_t claimed_mib = 0;
  int holders = 0;
  bool exclusive = false;
};

struct NodeUsage {
  // (physical index, usage) of held cards only; a node has a handful of cards,
  // so a flat list beats a tree on the hot path of every decision.
  std::vector<std::pair<int, DeviceUsage>> devices;
  int cpu_cores = 0;
  int64_t host_memory_mib = 0;
  bool empty() const { return devices.empty() && cpu_cores == 0 && host_memory_mib == 0; }
  const DeviceUsage& Device(int index) const;
  DeviceUsage& MutableDevice(int index);  // adds an empty entry when absent
  void EraseDevice(int index);
};

// Adds / removes one allocation's claims (used by ClusterState and by
// Decide's scratch copy while it places several replicas).
void AddClaims(NodeUsage& usage, const Allocation& a);
void RemoveClaims(NodeUsage& usage, const Allocation& a);

// A card with less measured use than this counts as idle for whole-device
// placement: driver contexts and monitoring hold a few hundred MiB on an idle card.
inline constexpr int64_t kIdleMemoryMib = 1024;

// Free capacity combines the ledger and the measurement as
//   used = max(claimed, measured)      free = total - used
// The measurement already contains the memory of our own holders once their
// engines have loaded, so adding both would count them twice; taking the max
// keeps claims whose engine is still loading AND memory held by processes
// outside the ledger. (It under-counts only while a foreign process and a
// still-loading claim coexist; Bind's re-check and the agent's next report
// bound that window.) Unknown measurement (-1) means used = claimed.
int64_t EffectiveUsedMib(const accel::Device& device, const DeviceUsage& usage);
// -1 when the card's size is unknown.
int64_t FreeMib(const accel::Device& device, const DeviceUsage& usage);
// No ledger holder and (when measured) nothing beyond kIdleMemoryMib in use.
bool WholeFree(const accel::Device& device, const DeviceUsage& usage);

// Nodes plus ledger claims indexed for placement. Not thread-safe: the Placer
// guards it; Decide() only reads it.
class ClusterState {
 public:
  void UpsertNode(Node node);
  bool SetState(const std::string& name, NodeState state);
  bool RemoveNode(const std::string& name);  // claims stay until ReleaseNode
  const Node* FindNode(const std::string& name) const;
  const NodeUsage& UsageOf(const std::string& name) const;

  void Apply(const Allocation& a);
  void Unapply(const Allocation& a);
  void ClearClaims();  // keeps the view; drops every claim (before reloading a ledger)

  // Calls fn(node, usage) for every node in the view, in name order.
  template <typename Fn>
  void ForEachNode(Fn&& fn) const {
    for (const auto& [name, entry] : entries_)
      if (entry.node) fn(*entry.node, entry.usage);
  }
  size_t node_count() const;

 private:
  struct Entry {
    std::optional<Node> node;  // nullopt: claims on a node not (or no longer) in the view
    NodeUsage usage;
  };
  std::map<std::string, Entry> entries_;
  size_t node_count_ = 0;  // entries with a node
};

}  // namespace hai::placement
