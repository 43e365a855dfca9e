#pragma once

#include <string_view>
#include <vector>

namespace hai::hwcheck::ascend {

// `npu-smi info -t topo` read for the r1 check "every off-diagonal cell is
// HCCS" (reference/appliance-hw.md §1.2, §8). Built on lib/accel's matrix
// reader: `devices` counts the NPU columns of the header and `not_hccs` lists
// the NPUs that have at least one link other than HCCS (SYS, PHB, PIX, PXB,
// NA …). An output without a matrix has devices == 0.
struct HccsTopology {
  int devices = 0;
  std::vector<int> not_hccs;
  bool AllHccs() const { return devices > 0 && not_hccs.empty(); }
};
HccsTopology ReadHccsTopology(std::string_view text);

}  // namespace hai::hwcheck::ascend
