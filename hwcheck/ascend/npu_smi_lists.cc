#include "hwcheck/ascend/npu_smi_lists.h"

#include <optional>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

using accel::ParseToolNumber;
using accel::TrimText;

int ToInt(std::string_view s) {
  std::optional<double> v = ParseToolNumber(s);
  return v ? static_cast<int>(*v) : -1;
}

std::string Get(const accel::KeyValueBlock& block, std::string_view key) {
  auto it = block.find(key);
  return it == block.end() ? std::string() : it->second;
}

bool IsMcu(std::string_view name) { return name == "Mcu" || name == "mcu" || name == "MCU"; }

}  // namespace

Result<NpuList> ParseNpuList(std::string_view text) {
  NpuList list;
  for (const accel::KeyValueBlock& block : accel::ParseKeyValueBlocks(text)) {
    if (block.contains("Total Count")) list.total_count = ToInt(Get(block, "Total Count"));
    if (!block.contains("NPU ID")) continue;
    NpuCard card;
    card.npu_id = ToInt(Get(block, "NPU ID"));
    card.chip_count = ToInt(Get(block, "Chip Count"));
    card.product = Get(block, "Product Name");
    card.serial = Get(block, "Serial Number");
    if (card.npu_id >= 0) list.cards.push_back(std::move(card));
  }
  if (list.total_count < 0 && list.cards.empty())
    return Status::InvalidArgument("npu-smi info -l: no Total Count and no NPU ID in the output");
  return list;
}

Result<std::vector<NpuChip>> ParseNpuChipMap(std::string_view text) {
  std::vector<NpuChip> chips;
  bool header = false;
  for (std::string_view line : accel::SplitLines(text)) {
    if (!header) {
      header = line.find("Chip Logic ID") != std::string_view::npos;
      continue;
    }
    std::vector<std::string_view> tokens = accel::SplitAny(line, " \t");
    if (tokens.size() < 4) continue;
    NpuChip chip;
    chip.npu_id = ToInt(tokens[0]);
    chip.chip_id = ToInt(tokens[1]);
    chip.logic_id = ToInt(tokens[2]);  // "-" for the MCU → -1
    // The name is the rest of the line and may hold spaces ("Ascend 910B3").
    size_t name_at = tokens[3].data() - line.data();
    chip.name = std::string(TrimText(line.substr(name_at)));
    if (chip.npu_id < 0 || chip.logic_id < 0 || IsMcu(chip.name)) continue;
    chips.push_back(std::move(chip));
  }
  if (!header)
    return Status::InvalidArgument("npu-smi info -m: no `Chip Logic ID` header in the output");
  return chips;
}

}  // namespace hai::hwcheck::ascend
