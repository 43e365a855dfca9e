#pragma once

// Hand-built clusters for the placement tests (test-only header).

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/accel/device.h"
#include "lib/placement/cluster.h"
#include "lib/placement/request.h"

namespace hai::placement::testing {

inline accel::Device Card(accel::Vendor vendor, std::string model, int index, int64_t memory_mib,
                          std::string group = "", int numa = 0) {
  accel::Device d;
  d.vendor = vendor;
  d.model = std::move(model);
  d.index = index;
  d.memory_mib = memory_mib;
  d.topology_group = std::move(group);
  d.numa_node = numa;
  d.health = accel::Health::kOk;
  return d;
}

inline Node MakeNode(std::string name, std::vector<accel::Device> devices, int cpu_cores = 64,
                     int64_t memory_mib = 512 * 1024) {
  Node n;
  n.name = name;
  n.inventory.node = std::move(name);
  n.inventory.cpu_cores = cpu_cores;
  n.inventory.memory_mib = memory_mib;
  n.inventory.devices = std::move(devices);
  return n;
}

// 8 x Ascend910B3 (64 GiB) in two HCCS groups of 4 (hccs-0: 0-3, hccs-1: 4-7),
// NUMA 0 for 0-3 and 1 for 4-7.
inline Node AscendNode(std::string name) {
  std::vector<accel::Device> cards;
  for (int i = 0; i < 8; ++i)
    cards.push_back(Card(accel::Vendor::kAscend, "Ascend910B3", i, 65536,
                         i < 4 ? "hccs-0" : "hccs-1", i < 4 ? 0 : 1));
  return MakeNode(std::move(name), std::move(cards));
}

// 8 x H100 (80 GiB) in one NVLink group.
inline Node NvidiaNode(std::string name) {
  std::vector<accel::Device> cards;
  for (int i = 0; i < 8; ++i)
    cards.push_back(Card(accel::Vendor::kNvidia, "H100", i, 81559, "nvlink-0", i / 4));
  return MakeNode(std::move(name), std::move(cards));
}

inline ClusterState StateOf(std::vector<Node> nodes) {
  ClusterState s;
  for (Node& n : nodes) s.UpsertNode(std::move(n));
  return s;
}

inline PlacementRequest WholeRequest(std::string vendor, int devices,
                                     Topology topology = Topology::kAny) {
  PlacementRequest r;
  r.vendor = std::move(vendor);
  r.devices_per_replica = devices;
  r.topology = topology;
  return r;
}

inline PlacementRequest SharedRequest(std::string vendor, int64_t memory_mib) {
  PlacementRequest r;
  r.vendor = std::move(vendor);
  r.sharing = Sharing::kShared;
  r.memory_mib = memory_mib;
  return r;
}

// A whole-card claim already in the ledger.
inline Allocation Held(std::string node, std::vector<int> indices, int64_t memory_mib = 65536,
                       bool exclusive = true) {
  Allocation a;
  a.holder = "held";
  a.node = std::move(node);
  a.device_indices = std::move(indices);
  a.memory_mib = memory_mib;
  a.exclusive = exclusive;
  return a;
}

// "" when no card is double-booked: per card, claimed memory <= card memory
// and an exclusive claim is the only one; per node, cores and RAM not oversold.
inline std::string DoubleBooking(const std::vector<Allocation>& allocs,
                                 const std::vector<Node>& nodes) {
  std::map<std::pair<std::string, int>, std::pair<int64_t, int>> cards;  // mib, holders
  std::map<std::pair<std::string, int>, bool> exclusive;
  std::map<std::string, std::pair<int, int64_t>> host;
  for (const Allocation& a : allocs) {
    for (int i : a.device_indices) {
      auto& c = cards[{a.node, i}];
      c.first += a.memory_mib;
      c.second += 1;
      if (a.exclusive) exclusive[{a.node, i}] = true;
    }
    host[a.node].first += a.cpu_cores;
    host[a.node].second += a.host_memory_mib;
  }
  for (const Node& n : nodes) {
    for (const accel::Device& d : n.inventory.devices) {
      auto it = cards.find({n.name, d.index});
      if (it == cards.end()) continue;
      std::string where = n.name + "/" + std::to_string(d.index);
      if (exclusive.count({n.name, d.index}) && it->second.second > 1)
        return where + ": exclusive claim shared";
      if (d.memory_mib > 0 && it->second.first > d.memory_mib)
        return where + ": " + std::to_string(it->second.first) + " MiB claimed";
    }
    if (host[n.name].first > n.inventory.cpu_cores) return n.name + ": cores oversold";
    if (host[n.name].second > n.inventory.memory_mib) return n.name + ": RAM oversold";
  }
  return "";
}

}  // namespace hai::placement::testing
