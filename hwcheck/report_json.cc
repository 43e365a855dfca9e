#include "hwcheck/report_json.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hwcheck/json_fields.h"
#include "hwcheck/ledger_json.h"

namespace hai::hwcheck {
namespace {

using nlohmann::json;

constexpr int kFormat = 1;

json ItemToJson(const CheckItem& item) {
  json j{{"id", item.id},
         {"level", LevelName(item.level)},
         {"status", VerdictName(item.status)},
         {"threshold", item.threshold},
         {"value", item.value},
         {"reason", item.reason},
         {"category", item.category}};
  if (item.number) j["number"] = *item.number;
  j["evidence"] = item.evidence;
  return j;
}

json InspectionToJson(const Inspection& in) {
  json anomalies = json::array();
  for (const Anomaly& a : in.anomalies)
    anomalies.push_back({{"id", a.id},
                         {"risk", RiskName(a.risk)},
                         {"status", a.status},
                         {"value", a.value},
                         {"baseline_value", a.baseline_value},
                         {"reason", a.reason},
                         {"remediation", a.remediation},
                         {"remediation_zh", a.remediation_zh}});
  return json{{"baseline", in.baseline}, {"anomalies", anomalies}};
}

CheckItem ItemFromJson(JsonFields& f, const json& obj, const std::string& path) {
  CheckItem item;
  std::string level = "r1", status;
  f.String(obj, path, "id", &item.id, true);
  f.String(obj, path, "level", &level);
  f.String(obj, path, "status", &status, true);
  f.String(obj, path, "threshold", &item.threshold);
  f.String(obj, path, "value", &item.value);
  f.String(obj, path, "reason", &item.reason);
  f.String(obj, path, "category", &item.category);
  if (!f.ok()) return item;
  if (auto l = ParseLevel(level)) {
    item.level = *l;
  } else {
    f.Fail(FieldPath(path, "level"), "expected r1, r2, r3 or r4, got \"" + level + "\"");
  }
  if (auto v = ParseVerdict(status)) {
    item.status = *v;
  } else {
    f.Fail(FieldPath(path, "status"), "expected PASS, WARN, FAIL or SKIP, got \"" + status + "\"");
  }
  if (const json* n = f.Get(obj, path, "number", false)) {
    if (n->is_number()) {
      item.number = n->get<double>();
    } else if (!n->is_null()) {
      f.Fail(FieldPath(path, "number"), "expected a number");
    }
  }
  if (const json* ev = f.Array(obj, path, "evidence")) {
    for (size_t i = 0; i < ev->size(); ++i) {
      if (!(*ev)[i].is_string()) {
        f.Fail(IndexPath(FieldPath(path, "evidence"), i), "expected a string");
        break;
      }
      item.evidence.push_back((*ev)[i].get<std::string>());
    }
  }
  return item;
}

Inspection InspectionFromJson(JsonFields& f, const json& obj, const std::string& path) {
  Inspection in;
  f.String(obj, path, "baseline", &in.baseline);
  const json* anomalies = f.Array(obj, path, "anomalies");
  if (!anomalies) return in;
  for (size_t i = 0; i < anomalies->size() && f.ok(); ++i) {
    const std::string p = IndexPath(FieldPath(path, "anomalies"), i);
    const json& a = (*anomalies)[i];
    Anomaly an;
    std::string risk;
    f.String(a, p, "id", &an.id, true);
    f.String(a, p, "risk", &risk, true);
    f.String(a, p, "status", &an.status);
    f.String(a, p, "value", &an.value);
    f.String(a, p, "baseline_value", &an.baseline_value);
    f.String(a, p, "reason", &an.reason);
    f.String(a, p, "remediation", &an.remediation);
    f.String(a, p, "remediation_zh", &an.remediation_zh);
    if (!f.ok()) break;
    if (auto r = ParseRisk(risk)) {
      an.risk = *r;
    } else {
      f.Fail(FieldPath(p, "risk"), "expected high, medium or low, got \"" + risk + "\"");
    }
    in.anomalies.push_back(std::move(an));
  }
  return in;
}

}  // namespace

std::string RenderReportJson(const Report& r) {
  const Summary s = Summarize(r.findings.items);
  json items = json::array();
  for (const CheckItem& item : r.findings.items) items.push_back(ItemToJson(item));
  json facts = json::object();
  for (const auto& [name, value] : r.findings.facts) facts[name] = value;
  json j{{"tool", "hai-hwcheck"},
         {"format", kFormat},
         {"node", r.node},
         {"level", LevelName(r.level)},
         {"profile", r.profile},
         {"started", r.started},
         {"finished", r.finished},
         {"summary",
          {{"status", VerdictName(s.worst)},
           {"PASS", s.pass},
           {"WARN", s.warn},
           {"FAIL", s.fail},
           {"SKIP", s.skip}}},
         {"items", items},
         {"assets", AssetsToJson(r.findings.assets)},
         {"facts", facts},
         {"evidence_dir", r.evidence_dir}};
  if (r.inspection) j["inspection"] = InspectionToJson(*r.inspection);
  if (r.ledger_diff) j["ledger_diff"] = LedgerDiffToJson(*r.ledger_diff);
  // Non-UTF-8 bytes from a tool's output must not make the report unwritable.
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<Report> ParseReportJson(const std::string& text, const std::string& source_name) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument(source_name + ": not valid JSON");
  JsonFields f(source_name);
  Report r;
  std::string tool, level = "r1";
  f.String(j, "", "tool", &tool, true);
  if (f.ok() && tool != "hai-hwcheck")
    f.Fail("tool", "expected \"hai-hwcheck\", got \"" + tool + "\"");
  if (const json* format = f.Get(j, "", "format", true); format && f.ok()) {
    if (!format->is_number_integer() || format->get<int>() != kFormat)
      f.Fail("format", "expected 1 (the only format this hai-hwcheck reads)");
  }
  f.String(j, "", "node", &r.node, true);
  f.String(j, "", "level", &level);
  f.String(j, "", "profile", &r.profile);
  f.String(j, "", "started", &r.started);
  f.String(j, "", "finished", &r.finished);
  f.String(j, "", "evidence_dir", &r.evidence_dir);
  if (!f.ok()) return f.error();
  if (auto l = ParseLevel(level)) {
    r.level = *l;
  } else {
    f.Fail("level", "expected r1, r2, r3 or r4, got \"" + level + "\"");
  }
  if (const json* items = f.Array(j, "", "items", true)) {
    for (size_t i = 0; i < items->size() && f.ok(); ++i)
      r.findings.items.push_back(ItemFromJson(f, (*items)[i], IndexPath("items", i)));
  }
  if (const json* assets = f.Array(j, "", "assets"); assets && f.ok())
    r.findings.assets = AssetsFromJson(f, *assets, "assets");
  if (const json* facts = f.Object(j, "", "facts"); facts && f.ok()) {
    for (const auto& [name, value] : facts->items()) {
      if (!value.is_string()) {
        f.Fail("facts." + name, "expected a string");
        break;
      }
      r.findings.facts.emplace_back(name, value.get<std::string>());
    }
  }
  if (const json* in = f.Object(j, "", "inspection"); in && f.ok())
    r.inspection = InspectionFromJson(f, *in, "inspection");
  if (const json* ld = f.Object(j, "", "ledger_diff"); ld && f.ok())
    r.ledger_diff = LedgerDiffFromJson(f, *ld, "ledger_diff");
  if (!f.ok()) return f.error();
  return r;
}

Result<Report> LoadReportJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot open the report");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseReportJson(text.str(), path);
}

}  // namespace hai::hwcheck
