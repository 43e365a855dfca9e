#pragma once

#include <cstdint>

#include "lib/base/status.h"
#include "lib/store/database.h"

namespace hai::portal {

// How long call logs and rollups are kept ([portal] call_log_retention_days
// and monitoring_retention_days). Minute rollups are kept at most
// kMinuteRollupDays: a minute series over more than a week exceeds a
// request's points anyway, and hours carry the long view.
struct CallLogRetention {
  static constexpr int kMinuteRollupDays = 14;
  int call_log_days = 30;
  int monitoring_days = 400;  // hour and day rollups
};

struct CallLogRetentionResult {
  int64_t call_logs = 0;
  int64_t rollup_rows = 0;
};

// Removes what is past its retention at `now`. Call-log rows go in chunks,
// each its own transaction, so ingest is never held up for long.
Result<CallLogRetentionResult> ApplyCallLogRetention(store::Database* db, int64_t now,
                                                     const CallLogRetention& retention);

}  // namespace hai::portal
