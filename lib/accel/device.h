#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hai::accel {

// Every accelerator family the appliance schedules, plus the host CPU.
enum class Vendor { kAscend, kMetax, kHygon, kMthreads, kPpu, kNvidia, kCpu };

// Lower-case API names: ascend, metax, hygon, mthreads, ppu, nvidia, cpu.
std::string_view VendorName(Vendor v);
std::optional<Vendor> ParseVendor(std::string_view name);
const std::vector<Vendor>& AllVendors();

enum class Health { kOk, kWarning, kCritical, kUnknown };
std::string_view HealthName(Health h);  // ok, warning, critical, unknown
std::optional<Health> ParseHealth(std::string_view name);

// One accelerator device as the agent reports it. Fields a vendor tool did not
// give stay at their "unknown" value (-1, empty, kUnknown): never invented.
struct Device {
  Vendor vendor = Vendor::kCpu;
  std::string model;           // e.g. "Ascend910B3", "C500", "K100_AI", "H100"
  int index = 0;               // physical index as the vendor tool numbers it
  std::string bus_id;          // PCI address "0000:c1:00.0"
  int numa_node = -1;
  int64_t memory_mib = -1;     // device memory (HBM) total
  int64_t memory_used_mib = -1;
  int compute_units = -1;      // AI cores / SMs / CUs, when known
  std::string topology_group;  // HCCS / NVLink / MetaXLink island, "" when none
  double utilization = -1;     // percent 0..100
  double temperature_c = -1;
  double power_w = -1;
  Health health = Health::kUnknown;
  int64_t ecc_errors = -1;     // uncorrectable ECC count, when the vendor gives it
  std::string serial;
  std::string firmware;
  bool simulated = false;      // from a hardware profile, not real hardware
};

// One node's schedulable resources.
struct NodeInventory {
  std::string node;
  int cpu_cores = 0;
  int64_t memory_mib = 0;
  std::vector<Device> devices;  // accelerators only; the CPU is cpu_cores/memory_mib
};

}  // namespace hai::accel
