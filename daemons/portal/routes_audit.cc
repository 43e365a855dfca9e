#include "daemons/portal/audit_log.h"
#include "daemons/portal/json_views.h"
#include "daemons/portal/routes.h"
#include "lib/base/time_format.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

constexpr int64_t kExportMaxRows = 200000;
const std::map<std::string, std::string> kAuditSort = {{"time", "time"}, {"id", "id"}};

Result<std::optional<int64_t>> TimeParam(const http::Request& req, const std::string& name) {
  auto raw = req.Query(name);
  if (!raw || raw->empty()) return std::optional<int64_t>();
  auto t = ParseTime(*raw);
  if (!t) return Status::InvalidArgument(name + " is not an ISO-8601 time", name);
  return std::optional<int64_t>(*t);
}

Result<audit::Filter> ReadFilter(const Call& call) {
  audit::Filter f;
  HAI_ASSIGN_OR_RETURN(f.from, TimeParam(call.req, "from"));
  HAI_ASSIGN_OR_RETURN(f.to, TimeParam(call.req, "to"));
  HAI_ASSIGN_OR_RETURN(f.org_id, QueryInt(call.req, "org_id"));
  auto nonempty = [&](const char* name) {
    auto v = call.req.Query(name);
    return v && !v->empty() ? v : std::nullopt;
  };
  f.user = nonempty("user");
  f.action = nonempty("action");
  f.outcome = nonempty("outcome");
  if (f.outcome && *f.outcome != "success" && *f.outcome != "failure")
    return Status::InvalidArgument("outcome must be success or failure", "outcome");
  if (f.from && f.to && *f.from > *f.to)
    return Status::InvalidArgument("from is after to", "from");
  if (!call.who->IsAdmin()) f.visible_orgs = call.who->OrgsWhere(Permission::kAuditRead);
  return f;
}

Result<Response> ListEvents(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(ListWindow window, ParseListWindow(call.req, kAuditSort, "-time"));
  HAI_ASSIGN_OR_RETURN(audit::Filter filter, ReadFilter(call));
  Page<AuditEvent> page;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(page, audit::Query(tx, filter, window));
    return Status::Ok();
  }));
  return Response::Json(200, PageJson(page, [](const AuditEvent& e) { return ToJson(e); }));
}

Result<Response> ExportEvents(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(audit::Filter filter, ReadFilter(call));
  std::vector<AuditEvent> all;
  ListWindow window{5000, 0, "time DESC"};
  for (;;) {
    Page<AuditEvent> page;
    HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(page, audit::Query(tx, filter, window));
      return Status::Ok();
    }));
    for (AuditEvent& e : page.items) all.push_back(std::move(e));
    window.offset += window.limit;
    if (window.offset >= page.total || window.offset >= kExportMaxRows) break;
  }
  Response res = Response::Text(200, audit::ToCsv(all), "text/csv; charset=utf-8");
  res.AddHeader("Content-Disposition", "attachment; filename=\"audit-events-" +
                                           FormatIso8601(s->clock->NowMs()).substr(0, 10) +
                                           ".csv\"");
  return res;
}

}  // namespace

void AddAuditRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/audit-events", Permission::kAuditRead, "", "",
            "Query the audit log (org admins: their organisations' events)"},
           [s](Call& c) { return ListEvents(s, c); });
  api->Add({"GET", "/api/v1/audit-events/export", Permission::kAuditRead, "", "",
            "Export the audit log as CSV with the same filters"},
           [s](Call& c) { return ExportEvents(s, c); });
}

}  // namespace hai::portal
