#pragma once

#include <cstdint>
#include <string_view>

#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// The result table of perftest's ib_write_bw (reference/appliance-hw.md §2.3)
// and of the NPU's `hccn_tool -roce_test ib_write_bw` (§1.3): a header
// `#bytes #iterations BW peak[…] BW average[…] MsgRate[Mpps]` between dashed
// lines, then one row. The unit comes from the header: `[Gb/sec]` with
// --report_gbits, `[MiB/sec]` (or `[MB/sec]`) without; both are returned in
// Gb/s (10^9 bit/s). Columns are found by name, so extra columns are fine.
struct PerftestBandwidth {
  int64_t bytes = -1;
  int64_t iterations = -1;
  double peak_gbps = -1;
  double average_gbps = -1;
};
// kInvalidArgument when there is no header or no numeric row under it.
Result<PerftestBandwidth> ParsePerftestBandwidth(std::string_view text);

}  // namespace hai::hwcheck::ascend
