#include "hwcheck/ascend/npu_topology.h"

#include "lib/accel/npu_smi_parser.h"
#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {

HccsTopology ReadHccsTopology(std::string_view text) {
  HccsTopology topo;
  // Islands over HCCS cells: its size is the header's device count.
  std::vector<int> hccs = accel::ParseNpuTopology(text);
  topo.devices = static_cast<int>(hccs.size());
  // Islands over every other cell: a device in one has a non-HCCS link. A
  // device missing from either matrix (short row) counts as not HCCS too.
  std::vector<int> other = accel::ParseLinkIslands(
      text, "NPU", [](std::string_view cell) { return cell != "HCCS" && cell != "X"; });
  for (int i = 0; i < topo.devices; ++i) {
    bool other_link = i < static_cast<int>(other.size()) && other[i] >= 0;
    if (other_link || hccs[i] < 0) topo.not_hccs.push_back(i);
  }
  return topo;
}

}  // namespace hai::hwcheck::ascend
