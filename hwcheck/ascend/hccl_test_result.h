#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// CANN hccl_test output (reference/appliance-hw.md §1.4): rank 0 prints the
// header `data_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): |
// check_result:` and one row per size `<bytes> | <us> | <GB/s> |
// success|failed|NULL`; cells are split on blanks and `|`, so the output
// with or without bars parses. Failing non-root ranks print `rank id N, check
// result failed, …`; setup failures print `HcclGetRootInfo failed` or `topo
// exchange server get socket timeout`.
struct HcclRow {
  int64_t bytes = 0;
  double avg_time_us = 0;
  double alg_bandwidth_gbs = 0;  // GB/s = bytes / avg time (§0.4)
  std::string check;             // "success", "failed", "NULL"
};
struct HcclTestResult {
  std::vector<HcclRow> rows;
  std::vector<std::string> failures;  // failure lines, as printed
  // The row of the largest size; nullptr when there is none.
  const HcclRow* Largest() const;
};
// kInvalidArgument when there is no header, no row and no failure line.
Result<HcclTestResult> ParseHcclTest(std::string_view text);

// nccl-tests' bus bandwidth for all-reduce: alg × 2(n−1)/n (§0.4, §2.2);
// one rank moves nothing over the bus (0).
double AllReduceBusBandwidth(double alg_bandwidth, int ranks);

}  // namespace hai::hwcheck::ascend
