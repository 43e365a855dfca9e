#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// `npu-smi info -l` (reference/appliance-hw.md §1.2): `Total Count : 8`, then
// per card `NPU ID`, `Chip Count` and, on some versions, `Product Name` and
// `Serial Number` (key/value blocks).
struct NpuCard {
  int npu_id = -1;
  int chip_count = -1;
  std::string product;  // "" when not printed
  std::string serial;   // "" when not printed
};
struct NpuList {
  int total_count = -1;
  std::vector<NpuCard> cards;
};
// kInvalidArgument when the output has neither a Total Count nor a card.
Result<NpuList> ParseNpuList(std::string_view text);

// One row of `npu-smi info -m` (§1.2): `NPU ID  Chip ID  Chip Logic ID  Chip
// Name`. The MCU rows (`Mcu`, logic id `-`) are not NPUs and are dropped.
struct NpuChip {
  int npu_id = -1;
  int chip_id = -1;
  int logic_id = -1;
  std::string name;  // "Ascend 910B3"
};
// kInvalidArgument when the header is missing.
Result<std::vector<NpuChip>> ParseNpuChipMap(std::string_view text);

}  // namespace hai::hwcheck::ascend
