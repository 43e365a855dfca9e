// RunNpuChecks: the Ascend NPU suite (hwcheck/suites.h), levels r1–r4.
#include "hwcheck/ascend/npu_check_steps.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck {

void RunNpuChecks(const CheckContext& ctx, Findings* out) {
  using namespace ascend;
  if (!IsAscendNode(ctx)) return;
  NpuRoster roster = ReadNpuRoster(ctx, ctx.profile->device_count);
  std::vector<NpuCard> cards = AddNpuInventoryChecks(ctx, roster, out);
  for (const NpuChip& chip : roster.chips) AddNpuDeviceChecks(ctx, chip, cards, out);
  AddVersionChecks(ctx, out);
  AddDmiChecks(ctx, roster, out);
  AddAllReduceChecks(ctx, roster, out);
}

}  // namespace hai::hwcheck
