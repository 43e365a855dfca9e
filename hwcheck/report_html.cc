#include "hwcheck/report_html.h"

#include <sstream>

namespace hai::hwcheck {
namespace {

// Inline styles only: the page is opened from a USB stick or a mail attachment
// on a machine with no route to anything. The font list names the CJK faces
// of the desktops it is read on (Windows, macOS, Kylin/openEuler) before the
// generic fallback, which on some systems has no Chinese glyphs.
constexpr std::string_view kStyle = R"(
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eee}
tr.PASS td.status{background:#d8f0d8}tr.WARN td.status{background:#fbeeb8}
tr.FAIL td.status{background:#f6c6c6}tr.SKIP td.status{background:#e4e4e4}
tr.FAIL{background:#fdf0f0}tr.WARN{background:#fffbea}
tr.high td.risk{background:#f6c6c6}tr.medium td.risk{background:#fbeeb8}tr.low td.risk{background:#e6eefa}
.summary span{display:inline-block;margin-right:1em;padding:.2em .6em;border-radius:.3em}
.big{font-size:1.2em;font-weight:bold}
.PASS{background:#d8f0d8}.WARN{background:#fbeeb8}.FAIL{background:#f6c6c6}.SKIP{background:#e4e4e4}
code{font-size:.9em}
)";

std::string_view VerdictZh(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "通过";
    case Verdict::kWarn:
      return "警告";
    case Verdict::kFail:
      return "失败";
    case Verdict::kSkip:
      return "跳过";
  }
  return "";
}

std::string_view RiskZh(Risk r) {
  switch (r) {
    case Risk::kHigh:
      return "高";
    case Risk::kMedium:
      return "中";
    case Risk::kLow:
      return "低";
  }
  return "";
}

class Html {
 public:
  Html& Raw(std::string_view s) {
    out_ << s;
    return *this;
  }
  Html& Text(std::string_view s) {
    out_ << HtmlEscape(s);
    return *this;
  }
  Html& Cell(std::string_view s, std::string_view cls = {}) {
    out_ << "<td" << (cls.empty() ? "" : " class=\"" + std::string(cls) + "\"") << ">"
         << HtmlEscape(s) << "</td>";
    return *this;
  }
  Html& Header(std::initializer_list<std::string_view> labels) {
    out_ << "<tr>";
    for (std::string_view l : labels) out_ << "<th>" << l << "</th>";
    out_ << "</tr>\n";
    return *this;
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

void Items(Html& h, const std::vector<CheckItem>& items) {
  h.Raw("<h2>检查结果 / Results</h2>\n<table>\n");
  h.Header({"编号 / ID", "级别 / Level", "类别 / Category", "结果 / Status", "测量值 / Value",
            "阈值 / Threshold", "原因 / Reason", "证据 / Evidence"});
  for (const CheckItem& item : items) {
    const std::string_view status = VerdictName(item.status);
    h.Raw("<tr class=\"").Raw(status).Raw("\">");
    h.Cell(item.id).Cell(LevelName(item.level)).Cell(item.category);
    h.Cell(std::string(VerdictZh(item.status)) + " " + std::string(status), "status");
    h.Cell(item.value).Cell(item.threshold).Cell(item.reason);
    std::string evidence;
    for (const std::string& e : item.evidence) evidence += (evidence.empty() ? "" : "\n") + e;
    h.Cell(evidence);
    h.Raw("</tr>\n");
  }
  h.Raw("</table>\n");
}

void InspectionSection(Html& h, const Inspection& in) {
  h.Raw("<h2>巡检异常 / Inspection anomalies</h2>\n<p>基线 / Baseline: <code>")
      .Text(in.baseline)
      .Raw("</code></p>\n");
  if (in.anomalies.empty()) {
    h.Raw("<p>无异常 / No anomalies.</p>\n");
    return;
  }
  h.Raw("<table>\n");
  h.Header({"编号 / ID", "风险 / Risk", "结果 / Status", "当前值 / Value", "基线值 / Baseline",
            "原因 / Reason", "处理建议 / Remediation"});
  for (const Anomaly& a : in.anomalies) {
    h.Raw("<tr class=\"").Raw(RiskName(a.risk)).Raw("\">");
    h.Cell(a.id).Cell(std::string(RiskZh(a.risk)) + " " + std::string(RiskName(a.risk)), "risk");
    h.Cell(a.status).Cell(a.value).Cell(a.baseline_value).Cell(a.reason);
    h.Raw("<td>").Text(a.remediation).Raw("<br>").Text(a.remediation_zh).Raw("</td></tr>\n");
  }
  h.Raw("</table>\n");
}

void Assets(Html& h, const std::vector<AssetRecord>& assets) {
  h.Raw("<h2>资产 / Assets</h2>\n");
  if (assets.empty()) {
    h.Raw("<p>未记录资产 / No assets recorded.</p>\n");
    return;
  }
  h.Raw("<table>\n");
  h.Header({"节点 / Node", "类型 / Kind", "槽位 / Slot", "厂商 / Vendor", "型号 / Model",
            "序列号 / Serial", "版本 / Version", "来源 / Source"});
  for (const AssetRecord& a : assets) {
    h.Raw("<tr>").Cell(a.node).Cell(a.kind).Cell(a.slot).Cell(a.vendor).Cell(a.model);
    h.Cell(a.serial).Cell(a.version).Cell(a.source).Raw("</tr>\n");
  }
  h.Raw("</table>\n");
}

void LedgerDiffSection(Html& h, const LedgerDiff& diff) {
  h.Raw("<h2>资产台账变化 / Asset ledger changes</h2>\n<p>上次台账 / Previous ledger: <code>")
      .Text(diff.previous)
      .Raw("</code></p>\n");
  if (diff.empty()) {
    h.Raw("<p>无变化 / No changes.</p>\n");
    return;
  }
  h.Raw("<table>\n");
  h.Header({"变化 / Change", "节点 / Node", "类型 / Kind", "槽位 / Slot", "字段 / Field",
            "之前 / Before", "之后 / After"});
  for (const AssetRecord& a : diff.added)
    h.Raw("<tr>")
        .Cell("新增 / added")
        .Cell(a.node)
        .Cell(a.kind)
        .Cell(a.slot)
        .Cell("serial")
        .Cell("")
        .Cell(a.serial)
        .Raw("</tr>\n");
  for (const AssetRecord& a : diff.removed)
    h.Raw("<tr>")
        .Cell("移除 / removed")
        .Cell(a.node)
        .Cell(a.kind)
        .Cell(a.slot)
        .Cell("serial")
        .Cell(a.serial)
        .Cell("")
        .Raw("</tr>\n");
  for (const AssetChange& c : diff.changed)
    for (const FieldChange& f : c.fields)
      h.Raw("<tr>")
          .Cell("变更 / changed")
          .Cell(c.node)
          .Cell(c.kind)
          .Cell(c.slot)
          .Cell(f.field)
          .Cell(f.before)
          .Cell(f.after)
          .Raw("</tr>\n");
  h.Raw("</table>\n");
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderReportHtml(const Report& r) {
  const Summary s = Summarize(r.findings.items);
  Html h;
  h.Raw("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  h.Text("hai-hwcheck " + r.node + " " + std::string(LevelName(r.level)));
  h.Raw("</title>\n<style>").Raw(kStyle).Raw("</style>\n</head>\n<body>\n");
  h.Raw("<h1>硬件检查报告 / Hardware check report</h1>\n<table>\n");
  const std::pair<std::string_view, std::string> facts[] = {
      {"节点 / Node", r.node},           {"级别 / Level", std::string(LevelName(r.level))},
      {"硬件配置 / Profile", r.profile}, {"开始 / Started", r.started},
      {"结束 / Finished", r.finished},   {"证据目录 / Evidence", r.evidence_dir}};
  for (const auto& [label, value] : facts)
    h.Raw("<tr><th>").Raw(label).Raw("</th>").Cell(value).Raw("</tr>\n");
  h.Raw("</table>\n<h2>汇总 / Summary</h2>\n<p class=\"summary\">");
  h.Raw("<span class=\"big ").Raw(VerdictName(s.worst)).Raw("\">总体 / Overall: ");
  h.Raw(VerdictZh(s.worst)).Raw(" ").Raw(VerdictName(s.worst)).Raw("</span>");
  const std::pair<Verdict, int> counts[] = {{Verdict::kPass, s.pass},
                                            {Verdict::kWarn, s.warn},
                                            {Verdict::kFail, s.fail},
                                            {Verdict::kSkip, s.skip}};
  for (const auto& [v, n] : counts) {
    h.Raw("<span class=\"").Raw(VerdictName(v)).Raw("\">").Raw(VerdictZh(v)).Raw(" ");
    h.Raw(VerdictName(v)).Raw(": ").Text(std::to_string(n)).Raw("</span>");
  }
  h.Raw("</p>\n");
  if (r.inspection) InspectionSection(h, *r.inspection);
  Items(h, r.findings.items);
  if (!r.findings.facts.empty()) {
    h.Raw("<h2>事实 / Facts</h2>\n<table>\n");
    h.Header({"名称 / Name", "值 / Value"});
    for (const auto& [name, value] : r.findings.facts)
      h.Raw("<tr>").Cell(name).Cell(value).Raw("</tr>\n");
    h.Raw("</table>\n");
  }
  Assets(h, r.findings.assets);
  if (r.ledger_diff) LedgerDiffSection(h, *r.ledger_diff);
  h.Raw("</body>\n</html>\n");
  return h.str();
}

}  // namespace hai::hwcheck
