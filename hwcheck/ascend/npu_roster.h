#pragma once

#include <chrono>
#include <vector>

#include "hwcheck/ascend/npu_smi_lists.h"
#include "hwcheck/context.h"

namespace hai::hwcheck::ascend {

inline constexpr std::chrono::seconds kNpuSmiTimeout{30};
inline constexpr std::chrono::seconds kHccnToolTimeout{30};

// Whether the profile says this node has Ascend NPUs (the Ascend suites add
// nothing otherwise).
bool IsAscendNode(const CheckContext& ctx);

// The NPUs the per-device checks loop over: the chips of `npu-smi info -m`
// when it answered with at least one, else ids 0 … n−1 from the profile
// (`fallback_count`), so that every per-device check still says why it could
// not run. Item ids use the NPU ID for npu-smi queries and the logic id for
// hccn_tool and ascend-dmi; on 910B servers (one chip per card) they agree.
struct NpuRoster {
  std::vector<NpuChip> chips;
  ToolRun run;             // the `npu-smi info -m` run
  bool from_tool = false;  // false: ids from the profile
};
NpuRoster ReadNpuRoster(const CheckContext& ctx, int fallback_count);

}  // namespace hai::hwcheck::ascend
