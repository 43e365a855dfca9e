#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::placement {

// How a replica holds its devices.
enum class Sharing {
  kWholeDevice,  // exclusive card; memory_mib (if > 0) is the smallest card accepted
  kShared,       // a memory slice; several holders on one card (rounded per vendor)
};

// Where the devices of one replica may sit relative to each other.
enum class Topology {
  kAny,        // anywhere on the node (one interconnect group still scores higher)
  kSameNuma,   // all on one NUMA node (devices with unknown NUMA stand alone)
  kSameGroup,  // all in one HCCS / NVLink / MetaXLink group (TP groups)
};

// Node-level and device-level choice among feasible candidates.
enum class Policy {
  kBinpack,   // fill what is already used; keep whole nodes and groups free
  kSpread,    // least used first; fewer neighbours per holder
  kFirstFit,  // first feasible in name / index order, no scoring (baseline, cheap)
};

std::string_view SharingName(Sharing s);    // whole, shared
std::string_view TopologyName(Topology t);  // any, same-numa, same-group
std::string_view PolicyName(Policy p);      // binpack, spread, first-fit
std::optional<Sharing> ParseSharing(std::string_view name);
std::optional<Topology> ParseTopology(std::string_view name);
std::optional<Policy> ParsePolicy(std::string_view name);

struct LabelRequirement {
  std::string key;
  std::string value;
};

// Upper bounds that keep a single decision cheap; beyond them a request is a typo.
inline constexpr int kMaxDevicesPerReplica = 64;
inline constexpr int kMaxReplicas = 1024;

// What one deployment asks for. Plain data: the daemon parses its API body into
// this, calls Validate(), then hands it to the Placer.
//
// Gang with replicas == 1 is accepted and behaves like a plain single replica:
// orchestration code may mark every multi-node-capable model as a gang and
// scale it down to one node without a special case.
struct PlacementRequest {
  std::string vendor;  // accel::VendorName ("ascend", "nvidia", ...); "" = any; "cpu" = CPU-only
  std::string model;   // e.g. "Ascend910B3"; "" = any model of the vendor
  int devices_per_replica = 1;  // >= 1 for accelerators, 0 for CPU-only
  int64_t memory_mib = 0;       // per device; 0 = whole device
  Sharing sharing = Sharing::kWholeDevice;
  Topology topology = Topology::kAny;
  std::string cluster;                          // only its nodes (NodeCluster); "" = any
  std::vector<LabelRequirement> node_selector;  // every key=value must match
  int cpu_cores = 0;                            // host cores per replica
  int64_t host_memory_mib = 0;                  // host RAM per replica
  int replicas = 1;
  bool gang = false;                       // replicas on distinct nodes, all or nothing
  Policy node_policy = Policy::kBinpack;   // HAMi's default node policy
  Policy device_policy = Policy::kSpread;  // HAMi's default device policy

  bool cpu_only() const { return vendor == "cpu"; }
  // The parsed vendor, or nullopt for "any". Only meaningful after Validate().
  std::optional<accel::Vendor> ParsedVendor() const;
};

// Rejects impossible or contradictory requests; the Status names the field.
// Asking for more memory than any card has is NOT an error here: it is a
// refusal with per-node reasons from Place(), since the cluster may change.
Status Validate(const PlacementRequest& request);

}  // namespace hai::placement
