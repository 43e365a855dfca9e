#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/accel/command_runner.h"
#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::accel {

// One accelerator family's knowledge: how to read its management tool, how to
// tell a process which devices it may use, and what Kubernetes calls them.
// Implementations are stateless after construction and thread-compatible.
class VendorAdapter {
 public:
  virtual ~VendorAdapter() = default;

  virtual Vendor vendor() const = 0;

  // Fills what the vendor tool reports (model, memory, utilisation, health,
  // temperature, power, ECC, topology group, index) into the devices of this
  // vendor found on PCI, matched by bus id; devices of other vendors are left
  // alone. Fields the tool does not give stay unknown. Returns kUnavailable
  // "<tool> not found" when the tool is missing, leaving the PCI facts intact;
  // on a partial failure it fills what it could and returns the first error.
  virtual Status Enrich(std::vector<Device>* devices_from_pci, CommandRunner& runner) const = 0;

  // Environment for a process allowed `physical_indices` (vendor-tool
  // numbering): inside it they appear as logical devices 0, 1, … in this order.
  virtual std::map<std::string, std::string> VisibleDevicesEnv(
      const std::vector<int>& physical_indices) const = 0;

  // Extended-resource names a Kubernetes device plugin advertises for a device
  // of `model`: the whole-device count name first, then memory and core-share
  // names where the plugin has them (reference/scheduling-autoscaling.md §1.1).
  virtual std::vector<std::string> KubernetesResourceNames(std::string_view model) const = 0;
};

// The device of `vendor` at `normalized_bus_id` (see NormalizeBusId), or null.
Device* FindDeviceByBusId(std::vector<Device>* devices, Vendor vendor,
                          std::string_view normalized_bus_id);

// "2,3" — the comma list every *_VISIBLE_DEVICES variable takes.
std::string JoinIndices(const std::vector<int>& indices);

// Name → factory. Filled by RegisterBuiltinAdapters(), never by static
// initialisers. Not thread-safe while being filled; read-only afterwards.
class AdapterRegistry {
 public:
  using Factory = std::function<std::unique_ptr<VendorAdapter>()>;

  Status Register(std::string name, Factory factory);
  Result<std::unique_ptr<VendorAdapter>> Create(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Factory, std::less<>> factories_;
};

// Registers ascend, nvidia, hygon, metax, mthreads and ppu (VendorName()s),
// each with its default configuration.
Status RegisterBuiltinAdapters(AdapterRegistry* registry);

}  // namespace hai::accel
