#pragma once

#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// ascend-dmi's bandwidth (`--bw -t h2d|d2d … -q`) and compute (`-f -t fp16 -q`)
// tables. reference/appliance-hw.md §1.5 records only that FlagPerf scrapes
// fixed line and column positions, so this parser keys on the header instead:
// a header line is split into columns on runs of two or more blanks, tabs or
// `|`; the value column is the first whose name contains one of `value_keys`;
// a column named like "Device"/"NPU" gives the device. Rows are the following
// lines with as many whitespace-separated cells as the header has columns
// and a number in the value column. The exact layout must be confirmed on
// site (docs/hwcheck.md).
struct DmiValue {
  int device = -1;  // -1 when the table has no device column
  double value = 0;
};
// kInvalidArgument when no header carries a value column or no row follows.
Result<std::vector<DmiValue>> ParseDmiTable(std::string_view text,
                                            const std::vector<std::string_view>& value_keys);

// Bandwidth in GB/s: keys "Bandwidth", "GB/s".
Result<std::vector<DmiValue>> ParseDmiBandwidth(std::string_view text);
// Compute in TFLOPS: key "TFLOPS".
Result<std::vector<DmiValue>> ParseDmiCompute(std::string_view text);

// The best value per device (rows without a device column are numbered 0, 1,
// … in order), as (device, value) sorted by device.
std::vector<DmiValue> BestPerDevice(const std::vector<DmiValue>& rows);

}  // namespace hai::hwcheck::ascend
