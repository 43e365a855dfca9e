#include "lib/accel/metax_adapter.h"

namespace hai::accel {

PciOnlyAdapterConfig MetaxAdapterConfig() {
  return {Vendor::kMetax,
          "mx-smi",
          {"CUDA_VISIBLE_DEVICES"},
          {"metax-tech.com/gpu", "metax-tech.com/sgpu", "metax-tech.com/vmemory",
           "metax-tech.com/vcore"}};
}

std::unique_ptr<VendorAdapter> NewMetaxAdapter() {
  return std::make_unique<PciOnlyAdapter>(MetaxAdapterConfig());
}

}  // namespace hai::accel
