#include "hwcheck/ascend/npu_roster.h"

namespace hai::hwcheck::ascend {

bool IsAscendNode(const CheckContext& ctx) {
  return ctx.profile && ctx.profile->vendor == accel::Vendor::kAscend && ctx.tools;
}

NpuRoster ReadNpuRoster(const CheckContext& ctx, int fallback_count) {
  NpuRoster roster;
  roster.run = ctx.tools->Run({"npu-smi", "info", "-m"}, kNpuSmiTimeout);
  if (roster.run.ok()) {
    Result<std::vector<NpuChip>> chips = ParseNpuChipMap(roster.run.text());
    if (chips.ok() && !chips->empty()) {
      roster.chips = std::move(*chips);
      roster.from_tool = true;
      return roster;
    }
    roster.run.problem = chips.ok() ? "npu-smi info -m listed no NPU" : chips.status().message();
  }
  for (int i = 0; i < fallback_count && i < 1024; ++i) {
    NpuChip chip;
    chip.npu_id = i;
    chip.chip_id = 0;
    chip.logic_id = i;
    roster.chips.push_back(chip);
  }
  return roster;
}

}  // namespace hai::hwcheck::ascend
