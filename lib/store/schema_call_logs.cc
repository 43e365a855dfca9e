#include "lib/store/schema.h"

namespace hai::store {

// One row per identified gateway request, written in batches by the
// gateway through the portal. Sized for tens of thousands of rows a second
// at under 500 bytes a row with its indexes: durations are integer
// microseconds and tokens per second integer thousandths (varints, and
// exact sums in the rollups); status is 0/1 (stored in the record header
// alone); no foreign keys, so the history outlives a deleted organisation
// and an insert checks nothing but its own row.
//
// Rollups per minute, hour and day per (organisation, service): counters,
// and for each distribution (ttft, tpot, latency, otps) the sample count,
// the sum in the same integer units and a sparse histogram over fixed
// buckets (daemons/portal/rollup_histogram.h). An hour row is the exact sum
// of its minute rows: every value is an integer. service_id 0 stands for
// calls whose model named no service.
const std::string_view kSchemaCallLogsV7 = R"sql(
CREATE TABLE call_logs (
  id INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  org_id INTEGER NOT NULL,
  user_id INTEGER,
  api_key_id INTEGER,
  api_key_prefix TEXT NOT NULL,
  source TEXT NOT NULL,
  service_id INTEGER,
  service TEXT NOT NULL,
  deployment_id INTEGER,
  replica_id INTEGER,
  endpoint TEXT NOT NULL,
  failed INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  error TEXT NOT NULL,
  client_ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  stream INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  usage_source TEXT NOT NULL,
  ttft_us INTEGER,
  tpot_us INTEGER,
  latency_us INTEGER NOT NULL,
  tps_milli INTEGER
);
CREATE INDEX call_logs_time ON call_logs(time_ms);
CREATE INDEX call_logs_org_time ON call_logs(org_id, time_ms);
CREATE INDEX call_logs_service_time ON call_logs(service_id, time_ms);
CREATE INDEX call_logs_request ON call_logs(request_id);

CREATE TABLE call_rollup_minute (
  bucket_ms INTEGER NOT NULL,
  org_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  ttft_count INTEGER NOT NULL, ttft_sum INTEGER NOT NULL, ttft_hist BLOB NOT NULL,
  tpot_count INTEGER NOT NULL, tpot_sum INTEGER NOT NULL, tpot_hist BLOB NOT NULL,
  latency_count INTEGER NOT NULL, latency_sum INTEGER NOT NULL, latency_hist BLOB NOT NULL,
  otps_count INTEGER NOT NULL, otps_sum INTEGER NOT NULL, otps_hist BLOB NOT NULL,
  PRIMARY KEY (bucket_ms, org_id, service_id)
) WITHOUT ROWID;
CREATE TABLE call_rollup_hour (
  bucket_ms INTEGER NOT NULL,
  org_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  ttft_count INTEGER NOT NULL, ttft_sum INTEGER NOT NULL, ttft_hist BLOB NOT NULL,
  tpot_count INTEGER NOT NULL, tpot_sum INTEGER NOT NULL, tpot_hist BLOB NOT NULL,
  latency_count INTEGER NOT NULL, latency_sum INTEGER NOT NULL, latency_hist BLOB NOT NULL,
  otps_count INTEGER NOT NULL, otps_sum INTEGER NOT NULL, otps_hist BLOB NOT NULL,
  PRIMARY KEY (bucket_ms, org_id, service_id)
) WITHOUT ROWID;
CREATE TABLE call_rollup_day (
  bucket_ms INTEGER NOT NULL,
  org_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  ttft_count INTEGER NOT NULL, ttft_sum INTEGER NOT NULL, ttft_hist BLOB NOT NULL,
  tpot_count INTEGER NOT NULL, tpot_sum INTEGER NOT NULL, tpot_hist BLOB NOT NULL,
  latency_count INTEGER NOT NULL, latency_sum INTEGER NOT NULL, latency_hist BLOB NOT NULL,
  otps_count INTEGER NOT NULL, otps_sum INTEGER NOT NULL, otps_hist BLOB NOT NULL,
  PRIMARY KEY (bucket_ms, org_id, service_id)
) WITHOUT ROWID;
)sql";

}  // namespace hai::store
