#include "lib/placement/cluster.h"

#include <algorithm>
#include <iterator>

namespace hai::placement {

std::string NodeCluster(const Node& node) {
  auto it = node.labels.find(kClusterLabel);
  return it == node.labels.end() || it->second.empty() ? kDefaultCluster : it->second;
}

const DeviceUsage& NodeUsage::Device(int index) const {
  static const DeviceUsage kNone;
  for (const auto& [i, usage] : devices)
    if (i == index) return usage;
  return kNone;
}

DeviceUsage& NodeUsage::MutableDevice(int index) {
  for (auto& [i, usage] : devices)
    if (i == index) return usage;
  return devices.emplace_back(index, DeviceUsage{}).second;
}

void NodeUsage::EraseDevice(int index) {
  std::erase_if(devices, [&](const auto& e) { return e.first == index; });
}

// A simulated device's "measured" memory is synthetic telemetry for
// dashboards; it says nothing about capacity, so only the ledger counts there.
int64_t MeasuredMib(const accel::Device& device) {
  if (device.simulated || device.memory_used_mib < 0) return -1;
  return device.memory_used_mib;
}

int64_t EffectiveUsedMib(const accel::Device& device, const DeviceUsage& usage) {
  int64_t claimed = usage.claimed_mib;
  if (usage.exclusive && device.memory_mib > 0) claimed = device.memory_mib;
  return std::max<int64_t>(claimed, std::max<int64_t>(MeasuredMib(device), 0));
}

int64_t FreeMib(const accel::Device& device, const DeviceUsage& usage) {
  if (device.memory_mib <= 0) return -1;
  return std::max<int64_t>(0, device.memory_mib - EffectiveUsedMib(device, usage));
}

bool WholeFree(const accel::Device& device, const DeviceUsage& usage) {
  if (usage.holders > 0 || usage.exclusive) return false;
  return MeasuredMib(device) <= kIdleMemoryMib;
}

void ClusterState::UpsertNode(Node node) {
  std::string name = node.name;
  Entry& e = entries_[name];
  if (!e.node) ++node_count_;
  e.node = std::move(node);
}

bool ClusterState::SetState(const std::string& name, NodeState state) {
  auto it = entries_.find(name);
  if (it == entries_.end() || !it->second.node) return false;
  it->second.node->state = state;
  return true;
}

bool ClusterState::RemoveNode(const std::string& name) {
  auto it = entries_.find(name);
  if (it == entries_.end() || !it->second.node) return false;
  it->second.node.reset();
  --node_count_;
  if (it->second.usage.empty()) entries_.erase(it);
  return true;
}

const Node* ClusterState::FindNode(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() || !it->second.node ? nullptr : &*it->second.node;
}

const NodeUsage& ClusterState::UsageOf(const std::string& name) const {
  static const NodeUsage kNone;
  auto it = entries_.find(name);
  return it == entries_.end() ? kNone : it->second.usage;
}

void AddClaims(NodeUsage& u, const Allocation& a) {
  for (int index : a.device_indices) {
    DeviceUsage& d = u.MutableDevice(index);
    d.claimed_mib += a.memory_mib;
    d.holders += 1;
    d.exclusive = d.exclusive || a.exclusive;
  }
  u.cpu_cores += a.cpu_cores;
  u.host_memory_mib += a.host_memory_mib;
}

void RemoveClaims(NodeUsage& u, const Allocation& a) {
  for (int index : a.device_indices) {
    DeviceUsage& d = u.MutableDevice(index);
    d.claimed_mib -= a.memory_mib;
    d.holders -= 1;
    // Only one exclusive holder can exist on a card, so releasing it clears the flag.
    if (a.exclusive) d.exclusive = false;
    if (d.holders <= 0) u.EraseDevice(index);
  }
  u.cpu_cores -= a.cpu_cores;
  u.host_memory_mib -= a.host_memory_mib;
}

void ClusterState::Apply(const Allocation& a) { AddClaims(entries_[a.node].usage, a); }

void ClusterState::Unapply(const Allocation& a) {
  auto it = entries_.find(a.node);
  if (it == entries_.end()) return;
  RemoveClaims(it->second.usage, a);
  if (it->second.usage.empty() && !it->second.node) entries_.erase(it);
}

void ClusterState::ClearClaims() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    it->second.usage = NodeUsage{};
    it = it->second.node ? std::next(it) : entries_.erase(it);
  }
}

size_t ClusterState::node_count() const { return node_count_; }

}  // namespace hai::placement
