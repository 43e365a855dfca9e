#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/accel/vendor_adapter.h"

namespace hai::accel {

// One "cardN" object of `hy-smi` / `rocm-smi --showmeminfo vram --showuse
// --showtemp --showpower --json` (reference/gpustack.md §3, "rocm-smi /
// hy-smi JSON", Hygon keys). -1 / "" where the key is absent or not a number.
struct HygonCard {
  int card = -1;       // N of "cardN"
  std::string series;  // "Card Series"
  int64_t vram_total_mib = -1;
  int64_t vram_used_mib = -1;
  double use_percent = -1;    // "DCU use (%)", "HCU use (%)" after DTK 25.04
  double temperature_c = -1;  // junction, else core, else edge sensor
  // "Average Graphics Package Power (W)": the key in the Hygon fixture the
  // reference names (G@14b70d47^:tests/detectors/rocm_smi/data/hygon-gpu-24.04.3-*).
  double power_w = -1;
};

// Cards sorted by N. Not JSON, or not an object of objects → kInvalidArgument.
Result<std::vector<HygonCard>> ParseHygonSmiJson(std::string_view text);

struct HygonAdapterConfig {
  // Tried in order: hy-smi (DTK's name, /opt/hyhal/bin) then rocm-smi.
  std::vector<std::string> tools = {"hy-smi", "rocm-smi"};
  std::chrono::milliseconds timeout{15000};
  Status Validate() const;
};

// Hygon DCUs: model, VRAM total/used, use %, temperature, power. The JSON has
// no bus id with these arguments, so card N is matched to the N-th Hygon DCU in
// PCI bus order (the order the driver numbers them in). No topology or ECC is
// read: the recorded format has none. A card that answered is kOk.
class HygonAdapter final : public VendorAdapter {
 public:
  explicit HygonAdapter(HygonAdapterConfig config) : config_(std::move(config)) {}

  Vendor vendor() const override { return Vendor::kHygon; }
  Status Enrich(std::vector<Device>* devices, CommandRunner& runner) const override;
  // HIP_VISIBLE_DEVICES (HYGON_VISIBLE_DEVICES is the container runtime's).
  std::map<std::string, std::string> VisibleDevicesEnv(
      const std::vector<int>& physical_indices) const override;
  // hygon.com/dcunum, hygon.com/dcumem, hygon.com/dcucores (HAMi).
  std::vector<std::string> KubernetesResourceNames(std::string_view model) const override;

 private:
  HygonAdapterConfig config_;
};

}  // namespace hai::accel
