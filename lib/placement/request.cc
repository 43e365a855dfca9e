#include "lib/placement/request.h"

#include <array>
#include <utility>

namespace hai::placement {
namespace {

template <typename E, size_t N>
std::optional<E> ParseFrom(const std::array<std::pair<E, std::string_view>, N>& table,
                           std::string_view name) {
  for (const auto& [value, text] : table)
    if (text == name) return value;
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view NameFrom(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [value, text] : table)
    if (value == v) return text;
  return "unknown";
}

constexpr std::array<std::pair<Sharing, std::string_view>, 2> kSharing = {
    {{Sharing::kWholeDevice, "whole"}, {Sharing::kShared, "shared"}}};
constexpr std::array<std::pair<Topology, std::string_view>, 3> kTopology = {
    {{Topology::kAny, "any"},
     {Topology::kSameNuma, "same-numa"},
     {Topology::kSameGroup, "same-group"}}};
constexpr std::array<std::pair<Policy, std::string_view>, 3> kPolicy = {
    {{Policy::kBinpack, "binpack"}, {Policy::kSpread, "spread"}, {Policy::kFirstFit, "first-fit"}}};

Status ValidateCpuOnly(const PlacementRequest& r) {
  if (r.devices_per_replica != 0)
    return Status::InvalidArgument("a CPU-only request takes no devices", "devices_per_replica");
  if (!r.model.empty())
    return Status::InvalidArgument("a CPU-only request names no device model", "model");
  if (r.memory_mib != 0)
    return Status::InvalidArgument("device memory given for a CPU-only request", "memory_mib");
  if (r.cpu_cores == 0 && r.host_memory_mib == 0)
    return Status::InvalidArgument("a CPU-only request needs cpu_cores or host_memory_mib",
                                   "cpu_cores");
  return Status::Ok();
}

Status ValidateAccelerator(const PlacementRequest& r) {
  if (r.devices_per_replica < 1)
    return Status::InvalidArgument("an accelerator request needs at least one device",
                                   "devices_per_replica");
  if (r.devices_per_replica > kMaxDevicesPerReplica)
    return Status::InvalidArgument("more than 64 devices per replica", "devices_per_replica");
  if (r.memory_mib < 0) return Status::InvalidArgument("negative memory", "memory_mib");
  if (r.sharing == Sharing::kShared && r.memory_mib == 0)
    return Status::InvalidArgument("a shared placement needs memory_mib > 0 (0 means whole)",
                                   "memory_mib");
  return Status::Ok();
}

}  // namespace

std::string_view SharingName(Sharing s) { return NameFrom(kSharing, s); }
std::string_view TopologyName(Topology t) { return NameFrom(kTopology, t); }
std::string_view PolicyName(Policy p) { return NameFrom(kPolicy, p); }
std::optional<Sharing> ParseSharing(std::string_view n) { return ParseFrom(kSharing, n); }
std::optional<Topology> ParseTopology(std::string_view n) { return ParseFrom(kTopology, n); }
std::optional<Policy> ParsePolicy(std::string_view n) { return ParseFrom(kPolicy, n); }

std::optional<accel::Vendor> PlacementRequest::ParsedVendor() const {
  if (vendor.empty()) return std::nullopt;
  return accel::ParseVendor(vendor);
}

Status Validate(const PlacementRequest& r) {
  if (!r.vendor.empty() && !accel::ParseVendor(r.vendor))
    return Status::InvalidArgument("unknown vendor '" + r.vendor + "'", "vendor");
  if (r.replicas < 1) return Status::InvalidArgument("replicas must be >= 1", "replicas");
  if (r.replicas > kMaxReplicas)
    return Status::InvalidArgument("more than 1024 replicas", "replicas");
  if (r.cpu_cores < 0) return Status::InvalidArgument("negative cpu_cores", "cpu_cores");
  if (r.host_memory_mib < 0)
    return Status::InvalidArgument("negative host memory", "host_memory_mib");
  for (const LabelRequirement& l : r.node_selector)
    if (l.key.empty())
      return Status::InvalidArgument("empty label key in node selector", "node_selector");
  return r.cpu_only() ? ValidateCpuOnly(r) : ValidateAccelerator(r);
}

}  // namespace hai::placement
