#include <gtest/gtest.h>

#include "hwcheck/baseline.h"
#include "hwcheck/hwcheck_test_util.h"
#include "hwcheck/report_html.h"
#include "hwcheck/report_json.h"
#include "hwcheck/report_output.h"

namespace hai::hwcheck {
namespace {

using testing::ReadText;
using testing::SampleReport;
using testing::TempDir;
using testing::WriteText;

TEST(ReportJsonTest, RoundTripThroughLoadBaseline) {
  TempDir dir;
  Report r = SampleReport();
  WriteText(dir.File("r.json"), RenderReportJson(r));
  auto b = LoadBaseline(dir.File("r.json"));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->path, dir.File("r.json"));
  EXPECT_EQ(b->node, "n1");
  ASSERT_EQ(b->items.size(), r.findings.items.size());
  for (const CheckItem& want : r.findings.items) {
    const CheckItem* got = b->Item(want.id);
    ASSERT_NE(got, nullptr) << want.id;
    EXPECT_EQ(got->level, want.level);
    EXPECT_EQ(got->status, want.status);
    EXPECT_EQ(got->threshold, want.threshold);
    EXPECT_EQ(got->value, want.value);
    EXPECT_EQ(got->reason, want.reason);
    EXPECT_EQ(got->category, want.category);
    EXPECT_EQ(got->number, want.number);
    EXPECT_EQ(got->evidence, want.evidence);
  }
  EXPECT_EQ(b->Number("npu.h2d_bw.0"), 24.5);
  EXPECT_EQ(b->Number("npu.health.3"), std::nullopt);
  EXPECT_EQ(b->Number("no.such"), std::nullopt);
  ASSERT_EQ(b->assets.size(), 2u);
  EXPECT_EQ(b->assets[1].vendor, "Vendor, Inc.");
  EXPECT_EQ(b->facts.at("versions.driver"), "24.1.rc2");
}

TEST(ReportJsonTest, FullReportRoundTrip) {
  Report r = SampleReport();
  Inspection in;
  in.baseline = "acceptance.json";
  in.anomalies.push_back(
      {"npu.health.3", Risk::kMedium, "WARN", "Warning", "OK", "worse", "reset it", "复位"});
  r.inspection = in;
  LedgerDiff diff;
  diff.previous = "ledger.json";
  diff.added.push_back(r.findings.assets[0]);
  diff.changed.push_back({"n1", "system", "", {{"serial", "A", "B"}}});
  r.ledger_diff = diff;
  const std::string text = RenderReportJson(r);
  auto back = ParseReportJson(text, "r.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  // Rendering the parsed report again gives the same text: nothing was lost.
  EXPECT_EQ(RenderReportJson(*back), text);
  ASSERT_TRUE(back->inspection.has_value());
  EXPECT_EQ(back->inspection->anomalies[0].remediation_zh, "复位");
  ASSERT_TRUE(back->ledger_diff.has_value());
  EXPECT_EQ(back->ledger_diff->changed[0].fields[0].after, "B");
}

TEST(ReportJsonTest, CarriesTheContractFields) {
  const std::string text = RenderReportJson(SampleReport());
  for (const char* key : {"\"tool\": \"hai-hwcheck\"", "\"format\": 1", "\"summary\"",
                          "\"status\": \"WARN\"", "\"PASS\": 2", "\"WARN\": 1", "\"SKIP\": 1",
                          "\"FAIL\": 0", "\"evidence_dir\"", "\"facts\"", "\"assets\""})
    EXPECT_NE(text.find(key), std::string::npos) << key;
  EXPECT_EQ(text.find("\"inspection\""), std::string::npos);  // only with --baseline
  EXPECT_EQ(text.find("\"ledger_diff\""), std::string::npos);
}

TEST(ReportJsonTest, ErrorsNameSourceAndField) {
  struct Case {
    std::string text;
    const char* message;
  } cases[] = {
      {"not json", "b.json: not valid JSON"},
      {R"({"format":1,"node":"n","items":[]})", "b.json: tool: required"},
      {R"({"tool":"other","format":1,"node":"n","items":[]})", "b.json: tool: expected"},
      {R"({"tool":"hai-hwcheck","format":2,"node":"n","items":[]})", "b.json: format: expected 1"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n"})", "b.json: items: required"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n","items":[{"id":"a","status":"OK"}]})",
       "b.json: items[0].status: expected PASS, WARN, FAIL or SKIP"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n","items":[{"id":"a","status":"PASS","number":"7"}]})",
       "b.json: items[0].number: expected a number"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n","items":[{"id":"a","status":"PASS","evidence":["x",1]}]})",
       "b.json: items[0].evidence[1]: expected a string"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n","items":[],"inspection":{"anomalies":[{"id":"a","risk":"huge"}]}})",
       "b.json: inspection.anomalies[0].risk: expected high, medium or low"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n","items":[{"status":"PASS"}]})",
       "b.json: items[0].id: required"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n","level":"r9","items":[]})",
       "b.json: level: expected r1, r2, r3 or r4"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n","items":[],"facts":{"x":1}})",
       "b.json: facts.x: expected a string"},
      {R"({"tool":"hai-hwcheck","format":1,"node":"n","items":[],"assets":[{"slot":"1"}]})",
       "b.json: assets[0].kind: required"},
  };
  for (const Case& c : cases) {
    auto r = ParseReportJson(c.text, "b.json");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << "got: " << r.status().message();
  }
}

// A format-1 report written by hand from docs/hwcheck.md: reports kept from
// acceptance must still load as baselines after the code changes.
TEST(ReportJsonTest, CommittedFormat1ReportLoads) {
  auto b = LoadBaseline(std::string(HAI_HWCHECK_TESTDATA) + "/acceptance-n1.json");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->node, "n1");
  EXPECT_EQ(b->items.size(), 5u);
  EXPECT_EQ(b->Number("npu.h2d_bw.0"), 24.5);
  EXPECT_EQ(b->Item("bmc.reachable")->status, Verdict::kSkip);
  EXPECT_EQ(b->Item("npu.health.0")->evidence.at(0), "npu-smi_info_-t_health_-i_0.txt");
  EXPECT_EQ(b->facts.at("versions.firmware"), "7.3.0.1.231");
  ASSERT_EQ(b->assets.size(), 1u);
  EXPECT_EQ(b->assets[0].serial, "NPU-SERIAL-0");
}

TEST(ReportJsonTest, BaselineWithDuplicateIdsIsAnError) {
  TempDir dir;
  Report r = SampleReport();
  r.findings.Add(r.findings.items[0]);
  WriteText(dir.File("dup.json"), RenderReportJson(r));
  auto b = LoadBaseline(dir.File("dup.json"));
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("npu.count"), std::string::npos);
  auto missing = LoadBaseline(dir.File("none.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("none.json"), std::string::npos);
}

TEST(ReportTest, ExitCodeByWorstResult) {
  EXPECT_EQ(ExitCodeFor(Verdict::kPass), 0);
  EXPECT_EQ(ExitCodeFor(Verdict::kSkip), 0);
  EXPECT_EQ(ExitCodeFor(Verdict::kWarn), 1);
  EXPECT_EQ(ExitCodeFor(Verdict::kFail), 2);
  std::vector<CheckItem> items = {Skip("a", Level::kR1, "x", "no tool"),
                                  Pass("b", Level::kR1, "x", "", "1")};
  EXPECT_EQ(Summarize(items).worst, Verdict::kPass);
  items.push_back(Fail("c", Level::kR1, "x", "", "", "broken"));
  items.push_back(Warn("d", Level::kR1, "x", "", "", "meh"));
  Summary s = Summarize(items);
  EXPECT_EQ(s.worst, Verdict::kFail);
  EXPECT_EQ(s.pass + s.warn + s.fail + s.skip, 4);
  EXPECT_EQ(Summarize({}).worst, Verdict::kSkip);
  EXPECT_EQ(ExitCodeFor(Summarize({}).worst), 0);
}

TEST(ReportHtmlTest, BothLanguagesSummaryAndStatusClasses) {
  Report r = SampleReport();
  r.findings.Add(Fail("host.smart.sda", Level::kR1, "host", "PASSED", "FAILED", "smartctl -H"));
  const std::string html = RenderReportHtml(r);
  for (const char* want : {"检查结果 / Results", "汇总 / Summary", "资产 / Assets", "通过 PASS",
                           "失败 FAIL", "警告 WARN", "跳过 SKIP", "<tr class=\"FAIL\">",
                           "<tr class=\"PASS\">", "Vendor, Inc.", "<style>", "charset=\"utf-8\""})
    EXPECT_NE(html.find(want), std::string::npos) << want;
}

TEST(ReportHtmlTest, EscapesEverythingAndLoadsNothing) {
  Report r = SampleReport("<script>alert(1)</script>");
  r.findings.Add(Fail("x.<b>", Level::kR1, "host", "a & b", "\"quoted\"",
                      "<script src=\"https://evil.example/x.js\"></script>"));
  r.findings.facts.emplace_back("k", "<img src=http://x/y.png>");
  Inspection in;
  in.baseline = "<base>";
  in.anomalies.push_back({"x.<b>", Risk::kHigh, "FAIL", "<v>", "<bv>", "<r>", "<m>", "<z>"});
  r.inspection = in;
  const std::string html = RenderReportHtml(r);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; b"), std::string::npos);
  EXPECT_NE(html.find("&quot;quoted&quot;"), std::string::npos);
  // No tag of the page loads anything: no src= or href= in any tag, no url( in the style.
  // (A scan rather than std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized under ASan.)
  for (size_t open = html.find('<'); open != std::string::npos; open = html.find('<', open + 1)) {
    const std::string tag = html.substr(open, html.find('>', open) - open);
    EXPECT_EQ(tag.find("src="), std::string::npos) << tag;
    EXPECT_EQ(tag.find("href="), std::string::npos) << tag;
  }
  EXPECT_NE(html.find("src=http://x/y.png"), std::string::npos);  // shown as text
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("巡检异常 / Inspection anomalies"), std::string::npos);
  EXPECT_NE(html.find("高 high"), std::string::npos);
}

TEST(ReportHtmlTest, LedgerDiffSection) {
  Report r = SampleReport();
  LedgerDiff diff;
  diff.previous = "ledger.json";
  diff.changed.push_back({"n1", "npu", "3", {{"serial", "OLD-1", "NEW-1"}}});
  r.ledger_diff = diff;
  const std::string html = RenderReportHtml(r);
  EXPECT_NE(html.find("资产台账变化 / Asset ledger changes"), std::string::npos);
  EXPECT_NE(html.find("OLD-1"), std::string::npos);
  EXPECT_NE(html.find("NEW-1"), std::string::npos);
}

TEST(ReportOutputTest, SummaryTableHasEveryItemAndTheVerdict) {
  const std::string table = RenderSummaryTable(SampleReport());
  for (const char* want : {"ID", "STATUS", "VALUE", "THRESHOLD", "REASON", "npu.health.3",
                           "Warning (80E21007)", "no --bmc given", "n1 r2: WARN"})
    EXPECT_NE(table.find(want), std::string::npos) << want;
}

TEST(ReportOutputTest, WritablePathChecks) {
  TempDir dir;
  EXPECT_TRUE(CheckWritablePath("--json", dir.File("r.json")).ok());
  Status st = CheckWritablePath("--json", dir.File("no/such/r.json"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("--json"), std::string::npos);
  EXPECT_FALSE(CheckWritablePath("--html", dir.path()).ok());
}

}  // namespace
}  // namespace hai::hwcheck
