#include "hwcheck/cluster_summary.h"

#include <gtest/gtest.h>

#include <sstream>

#include "hwcheck/hwcheck_test_util.h"
#include "hwcheck/report_json.h"

namespace hai::hwcheck {
namespace {

using testing::ReadText;
using testing::SampleReport;
using testing::TempDir;
using testing::WriteText;

const CheckItem* Item(const Report& r, const std::string& id) {
  for (const CheckItem& i : r.findings.items)
    if (i.id == id) return &i;
  return nullptr;
}

NodeReport Node(const std::string& name, const std::string& driver) {
  Report r = SampleReport(name);
  r.findings.facts = {{"versions.driver", driver}, {"npu_nic.tls", "0"}};
  r.findings.items = {Pass("npu.count", Level::kR1, "npu", "== 8", "8")};
  return {name + ".json", r};
}

TEST(ClusterSummaryTest, AllAgreeIsPass) {
  auto r =
      SummarizeCluster({Node("n1", "24.1.rc2"), Node("n2", "24.1.rc2"), Node("n3", "24.1.rc2")});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->node, "cluster");
  const CheckItem* driver = Item(*r, "cluster.versions.driver");
  ASSERT_NE(driver, nullptr);
  EXPECT_EQ(driver->status, Verdict::kPass);
  EXPECT_EQ(driver->value, "24.1.rc2");
  EXPECT_EQ(driver->category, "versions");
  EXPECT_EQ(Item(*r, "cluster.npu_nic.tls")->status, Verdict::kPass);
  EXPECT_EQ(Item(*r, "cluster.node.n2")->status, Verdict::kPass);
  EXPECT_EQ(Summarize(r->findings.items).worst, Verdict::kPass);
  EXPECT_EQ(r->findings.assets.size(), 6u);  // every node's assets
}

TEST(ClusterSummaryTest, DifferentDriverVersionNamesTheOddNode) {
  auto r = SummarizeCluster({Node("n1", "24.1.rc2"), Node("n2", "23.0.3"), Node("n3", "24.1.rc2")});
  ASSERT_TRUE(r.ok());
  const CheckItem* driver = Item(*r, "cluster.versions.driver");
  ASSERT_NE(driver, nullptr);
  EXPECT_EQ(driver->status, Verdict::kFail);
  EXPECT_NE(driver->reason.find("n2 has \"23.0.3\""), std::string::npos) << driver->reason;
  EXPECT_NE(driver->reason.find("n1, n3 have \"24.1.rc2\""), std::string::npos) << driver->reason;
  EXPECT_EQ(driver->value, "n1=24.1.rc2, n2=23.0.3, n3=24.1.rc2");
  EXPECT_EQ(ExitCodeFor(Summarize(r->findings.items).worst), 2);
}

TEST(ClusterSummaryTest, TwoNodesDisagreeingHaveNoMajority) {
  auto r = SummarizeCluster({Node("n1", "a"), Node("n2", "b")});
  ASSERT_TRUE(r.ok());
  const CheckItem* driver = Item(*r, "cluster.versions.driver");
  EXPECT_EQ(driver->status, Verdict::kFail);
  EXPECT_NE(driver->reason.find("no majority"), std::string::npos) << driver->reason;
}

TEST(ClusterSummaryTest, MissingFactIsWarnAndNodeWorstIsCarried) {
  NodeReport n1 = Node("n1", "24.1.rc2"), n2 = Node("n2", "24.1.rc2");
  n2.report.findings.facts = {{"versions.driver", "24.1.rc2"}};  // no npu_nic.tls
  n2.report.findings.Add(Fail("npu.health.5", Level::kR1, "npu", "== OK", "Alarm", "Alarm"));
  auto r = SummarizeCluster({n1, n2});
  ASSERT_TRUE(r.ok());
  const CheckItem* tls = Item(*r, "cluster.npu_nic.tls");
  EXPECT_EQ(tls->status, Verdict::kWarn);
  EXPECT_NE(tls->reason.find("not reported by n2"), std::string::npos);
  const CheckItem* node2 = Item(*r, "cluster.node.n2");
  EXPECT_EQ(node2->status, Verdict::kFail);
  EXPECT_NE(node2->reason.find("npu.health.5"), std::string::npos);
  EXPECT_NE(node2->reason.find("n2.json"), std::string::npos);
}

TEST(ClusterSummaryTest, BadInputsNameTheFiles) {
  auto one = SummarizeCluster({Node("n1", "x")});
  ASSERT_FALSE(one.ok());
  auto twice = SummarizeCluster({Node("n1", "x"), {"other.json", Node("n1", "x").report}});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("n1.json and other.json"), std::string::npos)
      << twice.status().message();
}

TEST(ClusterSummaryTest, CommandWritesReportsAndExitsByWorst) {
  TempDir dir;
  for (auto [name, driver] : {std::pair{"n1", "24.1.rc2"}, {"n2", "23.0.3"}, {"n3", "24.1.rc2"}})
    WriteText(dir.File(std::string(name) + ".json"), RenderReportJson(Node(name, driver).report));
  std::ostringstream out, err;
  int code = RunClusterCommand({dir.File("n1.json"), dir.File("n2.json"), dir.File("n3.json")},
                               dir.File("cluster.json"), dir.File("cluster.html"), out, err);
  EXPECT_EQ(code, 2) << err.str();
  EXPECT_NE(out.str().find("cluster.versions.driver"), std::string::npos);
  auto back = ParseReportJson(ReadText(dir.File("cluster.json")), "cluster.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(Item(*back, "cluster.versions.driver")->status, Verdict::kFail);
  EXPECT_NE(ReadText(dir.File("cluster.html")).find("检查结果 / Results"), std::string::npos);

  std::ostringstream out2, err2;
  WriteText(dir.File("broken.json"), "{}");
  EXPECT_EQ(RunClusterCommand({dir.File("n1.json"), dir.File("broken.json")}, "", "", out2, err2),
            64);
  EXPECT_NE(err2.str().find("broken.json"), std::string::npos) << err2.str();
}

}  // namespace
}  // namespace hai::hwcheck
