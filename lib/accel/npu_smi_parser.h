#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::accel {

// Pure parsers for Huawei's npu-smi, written against the layouts in
// reference/appliance-hw.md §1.1–1.2 and reference/gpustack.md §3
// ("Fixture formats"). -1 / "" means the output did not say.

// One chip row pair of the `npu-smi info` summary table.
struct NpuChipSummary {
  int npu_id = -1;
  int chip_id = -1;
  std::string name;    // "910B3"
  std::string health;  // "OK", "Warning", "Alarm", "Critical", "UNKNOWN"
  double power_w = -1;
  double temperature_c = -1;
  std::string bus_id;  // as printed: "0000:C1:00.0"
  double aicore_percent = -1;
  int64_t memory_used_mib = -1;  // DDR
  int64_t memory_total_mib = -1;
  int64_t hbm_used_mib = -1;  // absent on 310/310P tables
  int64_t hbm_total_mib = -1;
};

// The summary table. Columns are located by the header's names, so the
// 310-style table (no HBM column) and the 950-style `NPU Util(%)` also parse;
// values glued to the slash (`65099/ 65536`) are handled. Stops at the process
// table. An output without the table header is kInvalidArgument.
Result<std::vector<NpuChipSummary>> ParseNpuSmiInfo(std::string_view text);

// What the `npu-smi info -t board|memory|usages|common|health|ecc -i N`
// key/value outputs say, from the first block that is not the MCU's.
struct NpuDetails {
  std::string chip_name;
  std::string firmware;  // "Firmware Version"
  std::string serial;    // "Serial Number"
  int64_t hbm_capacity_mib = -1;
  double hbm_usage_percent = -1;
  double aicore_percent = -1;
  int aicore_count = -1;
  double temperature_c = -1;
  double power_w = -1;  // "NPU Real-time Power(W)"
  std::string health;   // "Health Status" (910) or "Health" (950 docs)
  std::string error_code;
  int64_t hbm_double_bit_errors = -1;  // uncorrectable ECC
};
NpuDetails ParseNpuDetails(std::string_view text);

// OK → kOk, Warning → kWarning, Alarm/Critical → kCritical, else kUnknown.
Health NpuHealth(std::string_view text);

// `npu-smi info -t topo`: per NPU index, the HCCS island (-1 if none).
std::vector<int> ParseNpuTopology(std::string_view text);

}  // namespace hai::accel
