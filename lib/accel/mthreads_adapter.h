#pragma once

#include <memory>

#include "lib/accel/pci_only_adapter.h"

namespace hai::accel {

// Moore Threads (S4000 …). reference/ records no `mthreads-gmi` output (it
// was only probed for; data came from libmtml), so this adapter is PCI-only.
// Visible devices: MUSA_VISIBLE_DEVICES plus CUDA_VISIBLE_DEVICES, the backend
// pair in reference/gpustack.md §3. Kubernetes: mthreads.com/vgpu,
// mthreads.com/sgpu-memory (1 unit = 512 MiB), mthreads.com/sgpu-core
// (reference/scheduling-autoscaling.md §1.1).
PciOnlyAdapterConfig MthreadsAdapterConfig();
std::unique_ptr<VendorAdapter> NewMthreadsAdapter();

}  // namespace hai::accel
