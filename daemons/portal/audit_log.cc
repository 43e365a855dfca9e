#include "daemons/portal/audit_log.h"

#include "lib/base/time_format.h"

namespace hai::portal::audit {
namespace {

constexpr const char* kColumns =
    "id, time, user_id, username, org_id, action, resource_type, resource_id, outcome, reason, "
    "summary, client_ip, user_agent, request_id";

AuditEvent Read(const store::Statement& s) {
  AuditEvent e;
  e.id = s.Int(0);
  e.time = s.Int(1);
  e.user_id = s.OptInt(2);
  e.username = s.Text(3);
  e.org_id = s.OptInt(4);
  e.action = s.Text(5);
  e.resource_type = s.Text(6);
  e.resource_id = s.Text(7);
  e.outcome = s.Text(8) == "success" ? Outcome::kSuccess : Outcome::kFailure;
  e.reason = s.Text(9);
  e.summary = s.Text(10);
  e.client_ip = s.Text(11);
  e.user_agent = s.Text(12);
  e.request_id = s.Text(13);
  return e;
}

std::string CsvCell(const std::string& value) {
  std::string v = value;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
  bool quote = v.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string_view OutcomeName(Outcome o) { return o == Outcome::kSuccess ? "success" : "failure"; }

Status Append(Database::Tx& tx, const AuditEvent& e) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("INSERT INTO audit_events(time, user_id, username, org_id, "
                                  "action, resource_type, resource_id, outcome, reason, summary, "
                                  "client_ip, user_agent, request_id) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, e.time).Bind(2, e.user_id).Bind(3, e.username).Bind(4, e.org_id).Bind(5, e.action);
  s.Bind(6, e.resource_type).Bind(7, e.resource_id).Bind(8, OutcomeName(e.outcome));
  s.Bind(9, e.reason.substr(0, 1000)).Bind(10, e.summary.substr(0, 4000));
  s.Bind(11, e.client_ip).Bind(12, e.user_agent.substr(0, 512)).Bind(13, e.request_id);
  return s.Run();
}

Result<Page<AuditEvent>> Query(Database::Tx& tx, const Filter& f, const ListWindow& window) {
  Where where;
  if (f.from) where.And("time >= ?", {*f.from});
  if (f.to) where.And("time < ?", {*f.to});
  if (f.user) where.And("username = ?", {*f.user});
  if (f.org_id) where.And("org_id = ?", {*f.org_id});
  if (f.action) {
    if (!f.action->empty() && f.action->back() == '.')
      where.And("action LIKE ? ESCAPE '\\'", {ContainsPattern(*f.action).substr(1)});
    else
      where.And("action = ?", {*f.action});
  }
  if (f.outcome) where.And("outcome = ?", {*f.outcome});
  if (f.visible_orgs) where.AndIn("org_id", *f.visible_orgs);
  Page<AuditEvent> page;
  HAI_ASSIGN_OR_RETURN(auto rows, ReadPage<AuditEvent>(tx, kColumns, "audit_events", where, window,
                                                       "id DESC", Read));
  page.items = std::move(rows.first);
  page.total = rows.second;
  return page;
}

std::string ToCsv(const std::vector<AuditEvent>& events) {
  std::string out =
      "id,time,user,user_id,org_id,action,resource_type,resource_id,outcome,reason,summary,"
      "client_ip,user_agent,request_id\r\n";
  for (const AuditEvent& e : events) {
    std::vector<std::string> cells = {
        std::to_string(e.id), FormatIso8601(e.time), e.username,
        e.user_id ? std::to_string(*e.user_id) : "", e.org_id ? std::to_string(*e.org_id) : "",
        e.action, e.resource_type, e.resource_id, std::string(OutcomeName(e.outcome)), e.reason,
        e.summary, e.client_ip, e.user_agent, e.request_id};
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvCell(cells[i]);
    out += "\r\n";
  }
  return out;
}

Result<int64_t> RemoveOlderThan(Database::Tx& tx, int64_t cutoff) {
  HAI_RETURN_IF_ERROR(tx.Exec("UPDATE audit_guard SET allow_delete = 1"));
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("DELETE FROM audit_events WHERE time < ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, cutoff).Run());
  int64_t removed = tx.Changes();
  HAI_RETURN_IF_ERROR(tx.Exec("UPDATE audit_guard SET allow_delete = 0"));
  return removed;
}

}  // namespace hai::portal::audit
