#pragma once

#include "hwcheck/context.h"

namespace hai::hwcheck {

// The check suites a run is made of. Each adds its items (only those whose
// level ≤ ctx.level), assets and facts to `out`. A missing tool or an
// unreachable BMC becomes a SKIP or FAIL item with the reason; a suite never
// stops the others.

// Ascend NPUs: npu-smi (count, names, health, HBM, ECC, topology), version.info
// files, ascend-dmi (r2 h2d/d2d, r3 fp16), hccl_test (r3 intra-node, r4 all nodes).
void RunNpuChecks(const CheckContext& ctx, Findings* out);             // hwcheck/ascend/
// NPU RoCE ports through hccn_tool: link, speed, net health, FEC, optics, TLS;
// r4 per-pair -roce_test against ctx.peers and error counters before/after.
void RunNpuNicChecks(const CheckContext& ctx, Findings* out);          // hwcheck/ascend/
// NVIDIA GPUs (nvidia-smi) when the profile's vendor is nvidia; host RDMA NICs
// with perftest's ib_write_bw at r4.
void RunNvidiaChecks(const CheckContext& ctx, Findings* out);          // hwcheck/ascend/ (owner C)
// Host: CPU, memory, EDAC, disks (smartctl), kernel settings, NTP, DMI assets.
void RunHostChecks(const CheckContext& ctx, Findings* out);            // hwcheck/host/
// r4 TCP bandwidth to every peer (`hai-hwcheck serve` on the other end).
void RunTcpBandwidthChecks(const CheckContext& ctx, Findings* out);    // hwcheck/host/
// BMC over IPMI (ipmi://) or Redfish (redfish+https://, redfish+http://).
void RunBmcChecks(const CheckContext& ctx, Findings* out);             // hwcheck/bmc/

}  // namespace hai::hwcheck
