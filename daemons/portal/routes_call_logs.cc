// The gateway's call log: ingest from the gateways (cluster token), and the
// list and CSV export for people (docs/call-logs.md).
#include "daemons/portal/call_log_ingest.h"
#include "daemons/portal/call_log_json.h"
#include "daemons/portal/call_log_store.h"
#include "daemons/portal/json_views.h"
#include "daemons/portal/routes.h"
#include "lib/base/time_format.h"
#include "lib/log/log.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

constexpr int64_t kCsvMaxRows = 100000;

Result<Response> Ingest(Services* s, metrics::Family* counted, Call& call) {
  HAI_ASSIGN_OR_RETURN(CallLogBatch batch, ParseCallLogBatch(call.req.body));
  HAI_RETURN_IF_ERROR(
      s->db->Write([&](Database::Tx& tx) { return call_logs::Insert(tx, batch.records); }));
  const auto accepted = static_cast<int64_t>(batch.records.size());
  if (counted) {
    counted->Add({{"outcome", "accepted"}}, static_cast<double>(accepted));
    counted->Add({{"outcome", "rejected"}}, static_cast<double>(batch.rejected));
  }
  // Once per batch: a gateway sending bad records sends many.
  if (batch.rejected > 0)
    log::Warn("call-log records rejected", {{"request_id", call.req.request_id},
                                            {"rejected", static_cast<long long>(batch.rejected)},
                                            {"accepted", static_cast<long long>(accepted)},
                                            {"first", batch.first_rejection}});
  return Response::Json(200, {{"accepted", accepted}, {"rejected", batch.rejected}});
}

Result<std::optional<int64_t>> TimeParam(const http::Request& req, const std::string& name) {
  auto raw = req.Query(name);
  if (!raw || raw->empty()) return std::optional<int64_t>();
  auto t = ParseTime(*raw);
  if (!t)
    return Status::InvalidArgument(name + " must be an ISO 8601 time or epoch milliseconds", name);
  return std::optional<int64_t>(*t);
}

std::optional<std::string> NonEmpty(const http::Request& req, const char* name) {
  auto v = req.Query(name);
  return v && !v->empty() ? v : std::nullopt;
}

Result<std::optional<bool>> Choice(const http::Request& req, const char* name, const char* yes,
                                   const char* no) {
  auto v = NonEmpty(req, name);
  if (!v) return std::optional<bool>();
  if (*v == yes) return std::optional<bool>(true);
  if (*v == no) return std::optional<bool>(false);
  return Status::InvalidArgument(std::string(name) + " must be " + yes + " or " + no, name);
}

// Org admins and developers see every call of their organisations;
// callers only their own.
call_logs::Scope ScopeOf(const Principal& who) {
  call_logs::Scope scope;
  scope.user_id = who.user.id;
  for (const Membership& m : who.memberships) {
    if (!RoleMay(m.role, Permission::kCallLogRead)) continue;
    (m.role == Role::kCaller ? scope.own_calls_orgs : scope.all_calls_orgs).push_back(m.org_id);
  }
  return scope;
}

Result<call_logs::Filter> ReadFilter(const Call& call) {
  const http::Request& req = call.req;
  call_logs::Filter f;
  HAI_ASSIGN_OR_RETURN(f.from, TimeParam(req, "from"));
  HAI_ASSIGN_OR_RETURN(f.to, TimeParam(req, "to"));
  if (f.from && f.to && *f.from > *f.to) return Status::InvalidArgument("from is after to", "from");
  HAI_ASSIGN_OR_RETURN(f.org_id, QueryInt(req, "org_id"));
  HAI_ASSIGN_OR_RETURN(f.service_id, QueryInt(req, "service_id"));
  HAI_ASSIGN_OR_RETURN(f.user_id, QueryInt(req, "user_id"));
  HAI_ASSIGN_OR_RETURN(f.status_code, QueryInt(req, "status_code"));
  f.service = NonEmpty(req, "service");
  f.api_key_prefix = NonEmpty(req, "api_key_prefix");
  f.request_id = NonEmpty(req, "request_id");
  HAI_ASSIGN_OR_RETURN(f.failed, Choice(req, "status", "failure", "success"));
  HAI_ASSIGN_OR_RETURN(f.stream, Choice(req, "stream", "true", "false"));
  if (!call.who->IsAdmin()) f.scope = ScopeOf(*call.who);
  return f;
}

Result<Response> ExportCsv(Services* s, const call_logs::Filter& filter) {
  Page<CallLogEntry> page;
  ListWindow window{kCsvMaxRows, 0, "c.time_ms DESC"};
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(page, call_logs::Query(tx, filter, window));
    return Status::Ok();
  }));
  Response res = Response::Text(200, CallLogsCsv(page.items), "text/csv; charset=utf-8");
  res.AddHeader("Content-Disposition", "attachment; filename=\"call-logs.csv\"");
  if (page.total > kCsvMaxRows) res.AddHeader("X-Hai-Truncated", "true");
  return res;
}

Result<Response> List(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(call_logs::Filter filter, ReadFilter(call));
  std::string format = call.req.Query("format").value_or("json");
  if (format == "csv") return ExportCsv(s, filter);
  if (format != "json") return Status::InvalidArgument("format must be json or csv", "format");
  HAI_ASSIGN_OR_RETURN(ListWindow window,
                       ParseListWindow(call.req, call_logs::SortableColumns(), "-time"));
  Page<CallLogEntry> page;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(page, call_logs::Query(tx, filter, window));
    return Status::Ok();
  }));
  return Response::Json(200, PageJson(page, [](const CallLogEntry& e) { return ToJson(e); }));
}

}  // namespace

void AddCallLogRoutes(Api* api, Services* s) {
  metrics::Family* counted =
      s->metrics ? s->metrics->Counter("hai_portal_call_log_records_total",
                                       "Call-log records from the gateways, by outcome "
                                       "(accepted, rejected).")
                 : nullptr;
  api->Add({"POST", "/internal/v1/call-logs", Permission::kCluster, "", "",
            "For the gateways: store a batch of call records (cluster token; not audited, "
            "the rows are the record)",
            /*self_allowed=*/false, /*audited=*/false},
           [s, counted](Call& c) { return Ingest(s, counted, c); });
  api->Add({"GET", "/api/v1/call-logs", Permission::kCallLogRead, "", "",
            "List calls through the gateway, newest first, with filters; format=csv exports "
            "them (callers: their own calls)"},
           [s](Call& c) { return List(s, c); });
}

}  // namespace hai::portal
