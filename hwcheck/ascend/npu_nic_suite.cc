// RunNpuNicChecks: the NPU RoCE port suite (hwcheck/suites.h), r1 and r4.
#include "hwcheck/ascend/nic_check_steps.h"
#include "hwcheck/ascend/npu_roster.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck::ascend {

void RunNpuNicChecksWith(const CheckContext& ctx, const RoceServerStarter& start_server,
                         Findings* out) {
  if (!IsAscendNode(ctx)) return;
  const HwProfile& p = *ctx.profile;
  NpuRoster roster = ReadNpuRoster(ctx, p.npu_nic_count >= 0 ? p.npu_nic_count : p.device_count);
  std::vector<int> devices;
  for (const NpuChip& chip : roster.chips) devices.push_back(chip.logic_id);
  std::vector<TlsReading> tls;
  for (int d : devices) tls.push_back(AddNicPortChecks(ctx, d, out));
  AddTlsCheck(tls, out);
  if (ctx.AtLeast(Level::kR4)) AddRocePairChecks(ctx, devices, start_server, out);
}

}  // namespace hai::hwcheck::ascend
