#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "lib/accel/vendor_adapter.h"

namespace hai::accel {

// Typed configuration of the Ascend adapter.
struct AscendAdapterConfig {
  std::string npu_smi = "npu-smi";  // name in $PATH or an absolute path
  std::chrono::milliseconds timeout{15000};
  Status Validate() const;
};

// Huawei Ascend NPUs through `npu-smi`:
//  - `npu-smi info`: model (910B3 → "Ascend910B3"), health, power, temperature,
//    AICore %, HBM used/total, matched to PCI by Bus-Id; index = NPU ID;
//  - per NPU `npu-smi info -t board|memory|usages|common|health|ecc -i N`:
//    firmware, HBM capacity, usage rates, AICore count, health, double-bit ECC;
//  - `npu-smi info -t topo`: HCCS islands → topology_group "hccs<k>".
// Per-NPU queries use `-i N` only, which addresses the chip of one-chip cards
// (910B); multi-chip cards (310P) keep the summary table's values.
class AscendAdapter final : public VendorAdapter {
 public:
  explicit AscendAdapter(AscendAdapterConfig config) : config_(std::move(config)) {}

  Vendor vendor() const override { return Vendor::kAscend; }
  Status Enrich(std::vector<Device>* devices, CommandRunner& runner) const override;
  // ASCEND_RT_VISIBLE_DEVICES for a process on the host (reference/gpustack.md
  // §3). ASCEND_VISIBLE_DEVICES / NPU_VISIBLE_DEVICES belong to the container
  // runtime path, which the appliance does not use.
  std::map<std::string, std::string> VisibleDevicesEnv(
      const std::vector<int>& physical_indices) const override;
  // HAMi's per-SKU names (huawei.com/Ascend910B3, -memory, -core), then the
  // native MindCluster names (huawei.com/Ascend910 for the 910 family, huawei.com/npu).
  std::vector<std::string> KubernetesResourceNames(std::string_view model) const override;

 private:
  AscendAdapterConfig config_;
};

}  // namespace hai::accel
