#pragma once

#include <string>
#include <vector>

#include "lib/accel/vendor_adapter.h"

namespace hai::accel {

// What a vendor without a recorded tool-output format is described by.
struct PciOnlyAdapterConfig {
  Vendor vendor = Vendor::kCpu;
  std::string tool;  // the vendor's CLI, named only in messages
  std::vector<std::string> visible_devices_vars;
  std::vector<std::string> kubernetes_resources;
  Status Validate() const;
};

// An adapter that reports only what PCI enumeration proves (vendor, bus id,
// NUMA node, index in bus order). It is used where reference/ records no real
// output of the vendor's tool: parsing an unrecorded format would mean
// inventing one, so Enrich() runs nothing and leaves every other field unknown.
class PciOnlyAdapter final : public VendorAdapter {
 public:
  explicit PciOnlyAdapter(PciOnlyAdapterConfig config) : config_(std::move(config)) {}

  Vendor vendor() const override { return config_.vendor; }
  Status Enrich(std::vector<Device>* devices, CommandRunner& runner) const override;
  std::map<std::string, std::string> VisibleDevicesEnv(
      const std::vector<int>& physical_indices) const override;
  std::vector<std::string> KubernetesResourceNames(std::string_view model) const override;

 private:
  PciOnlyAdapterConfig config_;
};

}  // namespace hai::accel
