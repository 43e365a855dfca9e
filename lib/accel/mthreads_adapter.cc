#include "lib/accel/mthreads_adapter.h"

namespace hai::accel {

PciOnlyAdapterConfig MthreadsAdapterConfig() {
  return {Vendor::kMthreads,
          "mthreads-gmi",
          {"MUSA_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES"},
          {"mthreads.com/vgpu", "mthreads.com/sgpu-memory", "mthreads.com/sgpu-core"}};
}

std::unique_ptr<VendorAdapter> NewMthreadsAdapter() {
  return std::make_unique<PciOnlyAdapter>(MthreadsAdapterConfig());
}

}  // namespace hai::accel
