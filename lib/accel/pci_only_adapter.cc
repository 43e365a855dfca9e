#include "lib/accel/pci_only_adapter.h"

namespace hai::accel {

Status PciOnlyAdapterConfig::Validate() const {
  if (vendor == Vendor::kCpu) return Status::InvalidArgument("no accelerator vendor", "vendor");
  if (visible_devices_vars.empty())
    return Status::InvalidArgument("no visible-devices variable", "visible_devices_vars");
  return Status::Ok();
}

Status PciOnlyAdapter::Enrich(std::vector<Device>*, CommandRunner&) const {
  return config_.Validate();
}

std::map<std::string, std::string> PciOnlyAdapter::VisibleDevicesEnv(
    const std::vector<int>& physical_indices) const {
  std::map<std::string, std::string> env;
  for (const std::string& var : config_.visible_devices_vars)
    env[var] = JoinIndices(physical_indices);
  return env;
}

std::vector<std::string> PciOnlyAdapter::KubernetesResourceNames(std::string_view) const {
  return config_.kubernetes_resources;
}

}  // namespace hai::accel
