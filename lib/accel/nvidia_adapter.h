#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/accel/vendor_adapter.h"

namespace hai::accel {

// The fields asked of nvidia-smi, in this order.
inline constexpr std::string_view kNvidiaQueryFields =
    "index,name,pci.bus_id,memory.total,memory.used,utilization.gpu,temperature.gpu,"
    "power.draw,ecc.errors.uncorrected.volatile.total";

// One line of `nvidia-smi --query-gpu=<kNvidiaQueryFields> --format=csv,noheader,nounits`
// (reference/gpustack.md §3 "nvidia-smi / ixsmi CSV", with more fields).
// -1 where nvidia-smi printed N/A or [Not Supported].
struct NvidiaGpuRow {
  int index = -1;
  std::string name;  // "NVIDIA H100 80GB HBM3"
  std::string bus_id;
  int64_t memory_total_mib = -1;
  int64_t memory_used_mib = -1;
  double utilization = -1;
  double temperature_c = -1;
  double power_w = -1;
  int64_t ecc_uncorrected = -1;
};

// Lines with fewer than the 9 fields or a non-numeric index are an error
// naming the line; units, if present (no `nounits`), are accepted.
Result<std::vector<NvidiaGpuRow>> ParseNvidiaSmiCsv(std::string_view text);

// `nvidia-smi topo -m`: per GPU index, its NVLink island (cells NV<n>), or -1.
std::vector<int> ParseNvidiaTopology(std::string_view text);

struct NvidiaAdapterConfig {
  std::string nvidia_smi = "nvidia-smi";
  std::chrono::milliseconds timeout{15000};
  Status Validate() const;
};

// NVIDIA GPUs through nvidia-smi: model (name without the "NVIDIA " prefix),
// memory, utilisation, temperature, power, uncorrected ECC, index, NVLink
// island → topology_group "nvlink<k>". nvidia-smi has no health verdict: a
// GPU that answered is kOk, or kWarning when it has uncorrected ECC errors.
class NvidiaAdapter final : public VendorAdapter {
 public:
  explicit NvidiaAdapter(NvidiaAdapterConfig config) : config_(std::move(config)) {}

  Vendor vendor() const override { return Vendor::kNvidia; }
  Status Enrich(std::vector<Device>* devices, CommandRunner& runner) const override;
  // CUDA_VISIBLE_DEVICES plus CUDA_DEVICE_ORDER=PCI_BUS_ID so that CUDA counts
  // as nvidia-smi does (NVIDIA_VISIBLE_DEVICES is the container runtime's).
  std::map<std::string, std::string> VisibleDevicesEnv(
      const std::vector<int>& physical_indices) const override;
  // nvidia.com/gpu, nvidia.com/gpumem, nvidia.com/gpucores (HAMi).
  std::vector<std::string> KubernetesResourceNames(std::string_view model) const override;

 private:
  NvidiaAdapterConfig config_;
};

}  // namespace hai::accel
