#include "lib/accel/ppu_adapter.h"

namespace hai::accel {

PciOnlyAdapterConfig PpuAdapterConfig() {
  return {Vendor::kPpu, "ppu-smi", {"CUDA_VISIBLE_DEVICES"}, {"alibabacloud.com/ppu"}};
}

std::unique_ptr<VendorAdapter> NewPpuAdapter() {
  return std::make_unique<PciOnlyAdapter>(PpuAdapterConfig());
}

}  // namespace hai::accel
