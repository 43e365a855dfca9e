#pragma once

#include <memory>

#include "lib/accel/pci_only_adapter.h"

namespace hai::accel {

// MetaX (C500 …). reference/ records no `mx-smi` output (gpustack reads
// libmxsml, and its v0.x had no MetaX CLI parser), so this adapter is PCI-only.
// Visible devices: CUDA_VISIBLE_DEVICES, which MACA reads (reference/gpustack.md
// §3). Kubernetes: metax-tech.com/gpu (whole card), metax-tech.com/sgpu
// (shared), metax-tech.com/vmemory, metax-tech.com/vcore
// (reference/scheduling-autoscaling.md §1.1).
PciOnlyAdapterConfig MetaxAdapterConfig();
std::unique_ptr<VendorAdapter> NewMetaxAdapter();

}  // namespace hai::accel
