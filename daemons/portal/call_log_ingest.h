#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/call_record.h"
#include "lib/base/status.h"

namespace hai::portal {

// The most one gateway batch may carry (docs/call-logs.md).
inline constexpr size_t kCallLogMaxBatchRecords = 2000;
inline constexpr size_t kCallLogMaxBatchBytes = size_t{8} << 20;

// A gateway's batch after checking each record on its own.
struct CallLogBatch {
  std::vector<CallRecord> records;  // the valid records, in the order sent
  int64_t rejected = 0;
  std::string first_rejection;  // "records[3].time_ms: must be an integer", for the log
};

// Reads `{"records":[…]}`. Errors only for the batch as a whole: 400 when
// the body is not a JSON object with a `records` array, 413 past the limits.
// A record with a missing required field, a wrong type or an impossible
// value is counted in `rejected` and left out; the rest are kept. Unknown
// fields are ignored so that a newer gateway can report more. Texts past
// their length are cut at a character boundary, never rejected.
Result<CallLogBatch> ParseCallLogBatch(std::string_view body);

}  // namespace hai::portal
