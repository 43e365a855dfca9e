#include "lib/placement/decision.h"

namespace hai::placement {

std::string_view ReasonName(ReasonCode code) {
  switch (code) {
    case ReasonCode::kNotReady:
      return "not_ready";
    case ReasonCode::kLabelMismatch:
      return "label_mismatch";
    case ReasonCode::kVendorMismatch:
      return "vendor_mismatch";
    case ReasonCode::kUnhealthy:
      return "unhealthy";
    case ReasonCode::kInsufficientDevices:
      return "insufficient_devices";
    case ReasonCode::kInsufficientMemory:
      return "insufficient_memory";
    case ReasonCode::kTopology:
      return "topology";
    case ReasonCode::kCpu:
      return "cpu";
    case ReasonCode::kMemory:
      return "memory";
    case ReasonCode::kGang:
      return "gang";
    case ReasonCode::kNoNodes:
      return "no_nodes";
  }
  return "unknown";
}

EnvVars DefaultVisibleDevicesEnv(accel::Vendor vendor, const std::vector<int>& indices) {
  std::string list;
  for (int i : indices) list += (list.empty() ? "" : ",") + std::to_string(i);
  switch (vendor) {
    case accel::Vendor::kAscend:
      return {{"ASCEND_RT_VISIBLE_DEVICES", list}};
    case accel::Vendor::kHygon:
      return {{"HIP_VISIBLE_DEVICES", list}};
    case accel::Vendor::kMthreads:
      return {{"MUSA_VISIBLE_DEVICES", list}};
    case accel::Vendor::kNvidia:
    case accel::Vendor::kMetax:
    case accel::Vendor::kPpu:
      return {{"CUDA_VISIBLE_DEVICES", list}};
    case accel::Vendor::kCpu:
      return {};
  }
  return {};
}

}  // namespace hai::placement
