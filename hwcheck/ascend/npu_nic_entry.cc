// The public entry point binds the real peer control (hai_hwcheck_host); it
// sits in its own file so tests of the suite link without that library.
#include "hwcheck/ascend/suite_seams.h"
#include "hwcheck/host/peer_control.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck {

void RunNpuNicChecks(const CheckContext& ctx, Findings* out) {
  ascend::RunNpuNicChecksWith(ctx, StartPeerRoceServer, out);
}

}  // namespace hai::hwcheck
