#pragma once

#include <memory>

#include "lib/accel/pci_only_adapter.h"

namespace hai::accel {

// T-Head / Alibaba PPU. reference/ records no `ppu-smi` output (gpustack reads
// libhgml; the CLI is only an install check), so this adapter is PCI-only; the
// PCI vendor id itself must be confirmed on site (see kPciVendorPpuDefault).
// Visible devices: CUDA_VISIBLE_DEVICES (reference/gpustack.md §3).
// Kubernetes: alibabacloud.com/ppu, Alibaba's ACK plugin; PPU is not in HAMi
// (reference/scheduling-autoscaling.md §1.1).
PciOnlyAdapterConfig PpuAdapterConfig();
std::unique_ptr<VendorAdapter> NewPpuAdapter();

}  // namespace hai::accel
