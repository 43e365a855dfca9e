// Black-box checks of the built hai-hwcheck: exit statuses, the files it
// writes, and the cluster subcommand. Host checks run for real against an
// empty --root, so only the report's shape is asserted, not its verdicts.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include "hwcheck/hwcheck_test_util.h"
#include "hwcheck/report_json.h"

namespace hai::hwcheck {
namespace {

using testing::ReadText;
using testing::SampleReport;
using testing::TempDir;
using testing::WriteText;

struct Ran {
  int code = -1;
  std::string out, err;
};

Ran RunBinary(const TempDir& dir, const std::string& args) {
  const std::string out = dir.File("stdout.txt"), err = dir.File("stderr.txt");
  const std::string command = std::string("timeout 120 ") + HAI_HWCHECK_BINARY + " " + args + " >" +
                              out + " 2>" + err + " </dev/null";
  const int status = std::system(command.c_str());
  Ran r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadText(out);
  r.err = ReadText(err);
  return r;
}

TEST(HwcheckBinaryTest, UsageErrorsExit64) {
  TempDir dir;
  Ran help = RunBinary(dir, "--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--baseline"), std::string::npos);
  Ran bad_level = RunBinary(dir, "--level r7");
  EXPECT_EQ(bad_level.code, 64);
  EXPECT_NE(bad_level.err.find("--level"), std::string::npos);
  Ran unknown = RunBinary(dir, "--level r1 --no-such-flag");
  EXPECT_EQ(unknown.code, 64);
  EXPECT_NE(unknown.err.find("--no-such-flag"), std::string::npos);
  Ran bad_profile = RunBinary(dir, "--level r1 --profile " + dir.File("none.toml"));
  EXPECT_EQ(bad_profile.code, 64);
  EXPECT_NE(bad_profile.err.find("none.toml"), std::string::npos);
  Ran bad_bmc = RunBinary(dir, "--level r1 --bmc ftp://a:b@h");
  EXPECT_EQ(bad_bmc.code, 64);
  EXPECT_NE(bad_bmc.err.find("--bmc"), std::string::npos);
}

TEST(HwcheckBinaryTest, R1RunWritesReportsAndEvidence) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("root"));
  Ran r = RunBinary(dir, "--level r1 --node bin-test --root " + dir.File("root") + " --json " +
                             dir.File("r.json") + " --html " + dir.File("r.html") + " --ledger " +
                             dir.File("ledger.json"));
  ASSERT_GE(r.code, 0);
  ASSERT_LE(r.code, 2) << r.err;
  auto report = LoadReportJson(dir.File("r.json"));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->node, "bin-test");
  EXPECT_EQ(r.code, ExitCodeFor(Summarize(report->findings.items).worst));
  bool bmc_skip = false;
  for (const CheckItem& i : report->findings.items)
    bmc_skip |= i.id == "bmc.reachable" && i.status == Verdict::kSkip;
  EXPECT_TRUE(bmc_skip);
  EXPECT_TRUE(std::filesystem::is_directory(dir.File("r.evidence")));
  EXPECT_NE(ReadText(dir.File("r.html")).find("检查结果 / Results"), std::string::npos);
  EXPECT_EQ(ReadText(dir.File("ledger.csv")).rfind("node,kind,slot,", 0), 0u);
  EXPECT_NE(r.out.find("bin-test r1:"), std::string::npos);
}

TEST(HwcheckBinaryTest, ClusterCatchesADifferentDriver) {
  TempDir dir;
  Report a = SampleReport("n1"), b = SampleReport("n2");
  b.findings.facts = {{"versions.driver", "23.0.3"}, {"host.kernel", "5.10.0-182"}};
  WriteText(dir.File("a.json"), RenderReportJson(a));
  WriteText(dir.File("b.json"), RenderReportJson(b));
  Ran r = RunBinary(dir, "cluster " + dir.File("a.json") + " " + dir.File("b.json") + " --json " +
                             dir.File("c.json"));
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.out.find("cluster.versions.driver"), std::string::npos);
  EXPECT_TRUE(LoadReportJson(dir.File("c.json")).ok());
}

}  // namespace
}  // namespace hai::hwcheck
