#include "daemons/portal/call_log_retention.h"

#include <algorithm>

#include "daemons/portal/call_log_store.h"
#include "daemons/portal/call_rollup.h"

namespace hai::portal {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kChunkRows = 20000;

}  // namespace

Result<CallLogRetentionResult> ApplyCallLogRetention(store::Database* db, int64_t now,
                                                     const CallLogRetention& retention) {
  CallLogRetentionResult result;
  const int64_t log_cutoff = now - int64_t{retention.call_log_days} * kDayMs;
  for (;;) {
    int64_t removed = 0;
    HAI_RETURN_IF_ERROR(db->Write([&](store::Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(removed, call_logs::RemoveOlderThan(tx, log_cutoff, kChunkRows));
      return Status::Ok();
    }));
    result.call_logs += removed;
    if (removed < kChunkRows) break;
  }
  const int minute_days = std::min(CallLogRetention::kMinuteRollupDays, retention.monitoring_days);
  HAI_RETURN_IF_ERROR(db->Write([&](store::Database::Tx& tx) -> Status {
    for (auto [g, days] : {std::pair{Granularity::kMinute, minute_days},
                           std::pair{Granularity::kHour, retention.monitoring_days},
                           std::pair{Granularity::kDay, retention.monitoring_days}}) {
      HAI_ASSIGN_OR_RETURN(int64_t n,
                           rollups::RemoveOlderThan(tx, g, now - int64_t{days} * kDayMs));
      result.rollup_rows += n;
    }
    return Status::Ok();
  }));
  return result;
}

}  // namespace hai::portal
