#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lib/accel/device.h"

namespace hai::placement {

// Why a node (or the request as a whole) could not take a replica.
enum class ReasonCode {
  kNotReady,             // node NotReady
  kLabelMismatch,        // node selector not satisfied
  kVendorMismatch,       // no device of the requested vendor / model
  kUnhealthy,            // matching devices exist but all are critical
  kInsufficientDevices,  // fewer free devices than devices_per_replica
  kInsufficientMemory,   // devices too small, or not enough free memory on them
  kTopology,             // enough devices, but not within one group / NUMA node
  kCpu,                  // host cores
  kMemory,               // host memory
  kGang,                 // request-level: fewer fitting nodes than gang replicas
  kNoNodes,              // request-level: the view holds no node
};

// Lower-case snake_case codes for the API: not_ready, label_mismatch, ...
std::string_view ReasonName(ReasonCode code);

// One machine-readable refusal, e.g.
// {node:"node-2", reason:insufficient_devices,
//  message:"3 free Ascend910B3 in one HCCS group, need 4"}. node is "" for
// request-level reasons.
struct Refusal {
  std::string node;
  ReasonCode reason = ReasonCode::kInsufficientDevices;
  std::string message;
};

using EnvVars = std::map<std::string, std::string>;

// Maps (vendor, physical device indices) to the visible-devices environment
// of the engine process. lib/accel's vendor adapters provide the real one.
using VisibleDevicesEnvFn = std::function<EnvVars(accel::Vendor, const std::vector<int>&)>;

// Simple default for tests and the bench: the vendor's usual variable
// (CUDA_VISIBLE_DEVICES, ASCEND_RT_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES,
// MUSA_VISIBLE_DEVICES) set to the comma-joined physical indices.
EnvVars DefaultVisibleDevicesEnv(accel::Vendor vendor, const std::vector<int>& indices);

// Where one replica goes.
struct ReplicaPlacement {
  int replica = 0;  // 0-based ordinal within the request
  std::string node;
  accel::Vendor vendor = accel::Vendor::kCpu;
  std::string model;
  std::vector<int> device_indices;  // physical, ascending
  int64_t memory_mib = 0;           // claimed per device after rounding
  bool exclusive = false;
  int cpu_cores = 0;
  int64_t host_memory_mib = 0;
  EnvVars env;
  double score = 0;  // node score + device-set score, 0..200 (documentation: README)
};

// The outcome of Place(). feasible: every requested replica has a place.
// A gang decision is all or nothing (no replicas when infeasible); a plain
// one may be partial (the replicas that fit, plus reasons for the rest).
struct Decision {
  bool feasible = false;
  bool gang = false;
  int requested_replicas = 0;
  std::vector<ReplicaPlacement> replicas;
  std::vector<Refusal> reasons;  // per refused node (last replica tried) + request-level
};

}  // namespace hai::placement
