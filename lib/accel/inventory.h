#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/accel/command_runner.h"
#include "lib/accel/device.h"
#include "lib/accel/sysfs_pci.h"
#include "lib/accel/vendor_adapter.h"
#include "lib/base/status.h"

namespace hai::accel {

// What DetectInventory needs. The runner and registry are borrowed and must
// outlive the call.
struct DetectOptions {
  std::string root = "/";  // sysfs at <root>/sys, /proc at <root>/proc
  CommandRunner* runner = nullptr;
  const AdapterRegistry* registry = nullptr;
  std::string node_name;
  uint16_t ppu_vendor_id = kPciVendorPpuDefault;
  Status Validate() const;
};

// The real node: CPU cores (`processor` lines of <root>/proc/cpuinfo) and
// memory (MemTotal of <root>/proc/meminfo), accelerators from PCI, then each
// present vendor's adapter enriches its devices. A missing or failing vendor
// tool is not fatal: its devices keep their PCI facts and the reason is
// appended to `warnings` (when given). Errors: bad options, unreadable /proc
// or PCI tree, a vendor with no registered adapter.
Result<NodeInventory> DetectInventory(const DetectOptions& options,
                                      std::vector<Status>* warnings = nullptr);

// The two /proc readers, for tests and for hwcheck.
Result<int> CountCpuCores(const std::string& cpuinfo_path);
Result<int64_t> ReadMemTotalMib(const std::string& meminfo_path);

}  // namespace hai::accel
