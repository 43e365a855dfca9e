#include "daemons/portal/call_log_store.h"

#include "daemons/portal/call_rollup.h"

namespace hai::portal::call_logs {
namespace {

constexpr const char* kFrom =
    "call_logs c LEFT JOIN orgs o ON o.id = c.org_id LEFT JOIN users u ON u.id = c.user_id";
constexpr const char* kColumns =
    "c.id, c.time_ms, c.request_id, c.org_id, c.user_id, c.api_key_id, c.api_key_prefix, "
    "c.source, c.service_id, c.service, c.deployment_id, c.replica_id, c.endpoint, c.failed, "
    "c.status_code, c.error, c.client_ip, c.user_agent, c.stream, c.input_tokens, "
    "c.output_tokens, c.total_tokens, c.usage_source, c.ttft_us, c.tpot_us, c.latency_us, "
    "c.tps_milli, coalesce(o.name, ''), coalesce(u.username, '')";

CallLogEntry ReadEntry(const store::Statement& s) {
  CallLogEntry e;
  e.id = s.Int(0);
  CallRecord& r = e.record;
  r.time_ms = s.Int(1);
  r.request_id = s.Text(2);
  r.org_id = s.Int(3);
  r.user_id = s.OptInt(4);
  r.api_key_id = s.OptInt(5);
  r.api_key_prefix = s.Text(6);
  r.source = s.Text(7);
  r.service_id = s.OptInt(8);
  r.service = s.Text(9);
  r.deployment_id = s.OptInt(10);
  r.replica_id = s.OptInt(11);
  r.endpoint = s.Text(12);
  r.failed = s.Int(13) != 0;
  r.status_code = s.Int(14);
  r.error = s.Text(15);
  r.client_ip = s.Text(16);
  r.user_agent = s.Text(17);
  r.stream = s.Int(18) != 0;
  r.input_tokens = s.Int(19);
  r.output_tokens = s.Int(20);
  r.total_tokens = s.Int(21);
  r.usage_source = s.Text(22);
  r.ttft_us = s.OptInt(23);
  r.tpot_us = s.OptInt(24);
  r.latency_us = s.Int(25);
  r.tps_milli = s.OptInt(26);
  e.org_name = s.Text(27);
  e.user_name = s.Text(28);
  return e;
}

void BindRecord(store::Statement& s, const CallRecord& r) {
  s.Bind(1, r.time_ms).Bind(2, r.request_id).Bind(3, r.org_id).Bind(4, r.user_id);
  s.Bind(5, r.api_key_id).Bind(6, r.api_key_prefix).Bind(7, r.source).Bind(8, r.service_id);
  s.Bind(9, r.service).Bind(10, r.deployment_id).Bind(11, r.replica_id).Bind(12, r.endpoint);
  s.Bind(13, r.failed).Bind(14, r.status_code).Bind(15, r.error).Bind(16, r.client_ip);
  s.Bind(17, r.user_agent).Bind(18, r.stream).Bind(19, r.input_tokens);
  s.Bind(20, r.output_tokens).Bind(21, r.total_tokens).Bind(22, r.usage_source);
  s.Bind(23, r.ttft_us).Bind(24, r.tpot_us).Bind(25, r.latency_us).Bind(26, r.tps_milli);
}

void ApplyScope(const Scope& scope, Where* where) {
  std::vector<Where::Value> values;
  std::string all = Where::Placeholders(scope.all_calls_orgs, &values);
  std::string own = Where::Placeholders(scope.own_calls_orgs, &values);
  values.emplace_back(scope.user_id);
  where->And("c.org_id IN " + all + " OR (c.org_id IN " + own + " AND c.user_id = ?)",
             std::move(values));
}

Where BuildWhere(const Filter& f) {
  Where where;
  if (f.from) where.And("c.time_ms >= ?", {*f.from});
  if (f.to) where.And("c.time_ms < ?", {*f.to});
  if (f.org_id) where.And("c.org_id = ?", {*f.org_id});
  if (f.service_id) where.And("c.service_id = ?", {*f.service_id});
  if (f.service) where.And("c.service = ?", {*f.service});
  if (f.api_key_prefix) where.And("c.api_key_prefix = ?", {*f.api_key_prefix});
  if (f.user_id) where.And("c.user_id = ?", {*f.user_id});
  if (f.failed) where.And("c.failed = ?", {int64_t{*f.failed}});
  if (f.status_code) where.And("c.status_code = ?", {*f.status_code});
  if (f.request_id) where.And("c.request_id = ?", {*f.request_id});
  if (f.stream) where.And("c.stream = ?", {int64_t{*f.stream}});
  if (f.scope) ApplyScope(*f.scope, &where);
  return where;
}

}  // namespace

Status Insert(Database::Tx& tx, std::span<const CallRecord> records) {
  if (records.empty()) return Status::Ok();
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("INSERT INTO call_logs(time_ms, request_id, org_id, user_id, api_key_id, "
                 "api_key_prefix, source, service_id, service, deployment_id, replica_id, "
                 "endpoint, failed, status_code, error, client_ip, user_agent, stream, "
                 "input_tokens, output_tokens, total_tokens, usage_source, ttft_us, tpot_us, "
                 "latency_us, tps_milli) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?)"));
  for (const CallRecord& r : records) {
    s.Reset();
    BindRecord(s, r);
    HAI_RETURN_IF_ERROR(s.Run());
  }
  return rollups::Add(tx, records);
}

const std::map<std::string, std::string>& SortableColumns() {
  static const std::map<std::string, std::string> kSort = {{"time", "c.time_ms"}};
  return kSort;
}

Result<Page<CallLogEntry>> Query(Database::Tx& tx, const Filter& filter, const ListWindow& window) {
  HAI_ASSIGN_OR_RETURN(auto rows, ReadPage<CallLogEntry>(tx, kColumns, kFrom, BuildWhere(filter),
                                                         window, "c.id DESC", ReadEntry));
  Page<CallLogEntry> page;
  page.items = std::move(rows.first);
  page.total = rows.second;
  return page;
}

Result<int64_t> RemoveOlderThan(Database::Tx& tx, int64_t cutoff, int64_t max_rows) {
  // The time index finds the oldest rows without a scan.
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("DELETE FROM call_logs WHERE id IN (SELECT id FROM call_logs "
                                  "WHERE time_ms < ? ORDER BY time_ms LIMIT ?)"));
  HAI_RETURN_IF_ERROR(s.Bind(1, cutoff).Bind(2, max_rows).Run());
  return static_cast<int64_t>(tx.Changes());
}

}  // namespace hai::portal::call_logs
