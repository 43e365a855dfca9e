#pragma once

#include "hwcheck/ascend/npu_roster.h"
#include "hwcheck/context.h"

namespace hai::hwcheck::ascend {

// The steps RunNpuChecks is made of, one file each, so each stays small.

// r1: npu.count (`npu-smi info -l`), npu.pci_count (sysfs), npu.name.<i>
// (`info -m`), npu.topology (`info -t topo`). Returns the `info -l` cards.
std::vector<NpuCard> AddNpuInventoryChecks(const CheckContext& ctx, const NpuRoster& roster,
                                           Findings* out);
// r1 per NPU: npu.health, npu.hbm_capacity, npu.ecc_double, npu.ecc_single,
// npu.ecc_isolated_pages, and its asset (board serial and firmware).
void AddNpuDeviceChecks(const CheckContext& ctx, const NpuChip& chip,
                        const std::vector<NpuCard>& cards, Findings* out);
// r1: versions.driver/firmware/toolkit/compatible and their facts.
void AddVersionChecks(const CheckContext& ctx, Findings* out);
// r2: npu.h2d_bw.<i>, npu.d2d_bw.<i>; r3: npu.fp16_tflops.<i> (ascend-dmi).
void AddDmiChecks(const CheckContext& ctx, const NpuRoster& roster, Findings* out);
// r3: npu.allreduce.*; r4: cluster.allreduce.* (hccl_test under mpirun).
void AddAllReduceChecks(const CheckContext& ctx, const NpuRoster& roster, Findings* out);

}  // namespace hai::hwcheck::ascend
