#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::accel {

// PCI vendor ids of the accelerator families we schedule
// (reference/gpustack.md §3, table "Vendor (PCI)").
inline constexpr uint16_t kPciVendorHuawei = 0x19e5;
inline constexpr uint16_t kPciVendorNvidia = 0x10de;
inline constexpr uint16_t kPciVendorMetax = 0x9999;
inline constexpr uint16_t kPciVendorMthreads = 0x1ed5;
inline constexpr uint16_t kPciVendorHygon = 0x1d94;
// T-Head / Alibaba PPU. Recorded only from gpustack-runtime's detector
// (reference/gpustack.md §3), not from Alibaba's own documentation: it must be
// confirmed on site, which is why PciOptions lets an operator override it.
inline constexpr uint16_t kPciVendorPpuDefault = 0x1ded;

// PCI base class + subclass (the top 16 bits of sysfs `class`).
inline constexpr uint16_t kPciClassVga = 0x0300;
inline constexpr uint16_t kPciClass3d = 0x0302;
inline constexpr uint16_t kPciClassDisplayOther = 0x0380;
inline constexpr uint16_t kPciClassCoprocessor = 0x0b40;
inline constexpr uint16_t kPciClassProcessingAccelerator = 0x1200;

// One function under <sysfs>/bus/pci/devices/<address>/.
struct PciFunction {
  std::string bus_id;  // "0000:c1:00.0", lower case
  uint16_t vendor_id = 0;
  uint16_t device_id = 0;
  uint32_t class_code = 0;  // 24 bits: class, subclass, programming interface
  int numa_node = -1;       // sysfs gives -1 on single-node machines
  uint16_t ClassAndSubclass() const { return static_cast<uint16_t>(class_code >> 8); }
};

// Which vendor id, in which PCI classes, is an accelerator of which family.
struct PciAcceleratorRule {
  uint16_t vendor_id = 0;
  Vendor vendor = Vendor::kCpu;
  std::vector<uint16_t> classes;  // ClassAndSubclass() values that count
};

// Typed options for PCI enumeration.
struct PciOptions {
  std::string sysfs_root = "/sys";
  uint16_t ppu_vendor_id = kPciVendorPpuDefault;
  Status Validate() const;
};

// The built-in rules. Huawei also makes NICs and BMC display chips under 0x19e5,
// so Ascend is recognised by class (processing accelerator, 3D, other display)
// and never by vendor id alone; NVIDIA counts only VGA and 3D functions (not
// NVSwitch bridges or HDMI audio); Hygon's id also covers its CPUs' bridges.
std::vector<PciAcceleratorRule> DefaultPciRules(uint16_t ppu_vendor_id);

// Every PCI function under the sysfs root, sorted by bus id. A function whose
// vendor or class file is unreadable or malformed is an error naming the file.
Result<std::vector<PciFunction>> ReadPciFunctions(const std::string& sysfs_root);

// The family `fn` belongs to, or nullopt when it is not an accelerator.
std::optional<Vendor> ClassifyPciFunction(const PciFunction& fn,
                                          const std::vector<PciAcceleratorRule>& rules);

// What PCI alone proves about a device of a known family: for example Ascend
// device id 0xd802 is a 910B (reference/appliance-hw.md §1.1). "" if unknown.
std::string ModelFromPciIds(Vendor vendor, uint16_t device_id);

// Accelerators found on PCI: vendor, bus id, NUMA node, and an index that
// counts each family in bus order (the vendor adapter may renumber it).
Result<std::vector<Device>> EnumeratePciAccelerators(const PciOptions& options);

// "00000000:0E:00.0" (nvidia-smi) or "0000:C1:00.0" (npu-smi) → "0000:0e:00.0".
std::string NormalizeBusId(std::string_view bus_id);

}  // namespace hai::accel
