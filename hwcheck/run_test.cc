#include "hwcheck/run.h"

#include <gtest/gtest.h>

#include "hwcheck/report.h"

namespace hai::hwcheck {
namespace {

Suite Adds(std::string name, std::vector<CheckItem> items) {
  return {name, [items](const CheckContext&, Findings* out) {
            for (const CheckItem& i : items) out->Add(i);
          }};
}

TEST(RunSuitesTest, RunsInOrderAndKeepsEveryVerdict) {
  CheckContext ctx;
  ctx.node = "n1";
  ctx.level = Level::kR1;
  std::vector<Suite> suites = {
      Adds("host", {Pass("host.cpu.cores", Level::kR1, "host", ">= 8", "64")}),
      Adds("npu", {Skip("npu.count", Level::kR1, "npu", "npu-smi not found")}),
      Adds("bmc", {Fail("bmc.reachable", Level::kR1, "bmc", "", "", "login refused")}),
  };
  RunResult r = RunSuites(ctx, suites);
  ASSERT_EQ(r.findings.items.size(), 3u);
  EXPECT_EQ(r.findings.items[0].id, "host.cpu.cores");
  EXPECT_EQ(r.findings.items[2].id, "bmc.reachable");
  // One suite's SKIP does not hide another's FAIL.
  EXPECT_EQ(Summarize(r.findings.items).worst, Verdict::kFail);
  ASSERT_EQ(r.timings.size(), 3u);
  EXPECT_EQ(r.timings[1].name, "npu");
  EXPECT_EQ(r.timings[1].items, 1);
  EXPECT_LE(r.started_ms, r.finished_ms);
}

TEST(RunSuitesTest, DropsItemsAboveTheLevelAndFillsAssetNodes) {
  CheckContext ctx;
  ctx.node = "n7";
  ctx.level = Level::kR2;
  Suite s{"npu", [](const CheckContext& c, Findings* out) {
            out->Add(Pass("npu.count", Level::kR1, "npu", "", "8"));
            out->Add(Pass("npu.h2d_bw.0", Level::kR2, "npu", "", "24 GB/s"));
            out->Add(Pass("npu.fp16_tflops.0", Level::kR3, "npu", "", "300"));  // a suite bug
            out->assets.push_back({"", "npu", "0", "", "", "SN", "", "npu-smi"});
            out->facts.emplace_back("versions.driver", c.AtLeast(Level::kR2) ? "r2" : "r1");
          }};
  RunResult r = RunSuites(ctx, {s});
  ASSERT_EQ(r.findings.items.size(), 2u);
  EXPECT_EQ(r.dropped_above_level, 1);
  ASSERT_EQ(r.findings.assets.size(), 1u);
  EXPECT_EQ(r.findings.assets[0].node, "n7");
  ASSERT_EQ(r.findings.facts.size(), 1u);
  EXPECT_EQ(r.findings.facts[0].second, "r2");
}

TEST(RunSuitesTest, BmcNotGivenIsOneSkip) {
  CheckContext ctx;
  RunResult r = RunSuites(ctx, {BmcNotGivenSuite()});
  ASSERT_EQ(r.findings.items.size(), 1u);
  EXPECT_EQ(r.findings.items[0].id, "bmc.reachable");
  EXPECT_EQ(r.findings.items[0].status, Verdict::kSkip);
  EXPECT_EQ(r.findings.items[0].reason, "no --bmc given");
}

std::vector<std::string> Names(const std::vector<Suite>& suites) {
  std::vector<std::string> out;
  for (const Suite& s : suites) out.push_back(s.name);
  return out;
}

TEST(SelectSuitesTest, ByVendorBmcAndLevel) {
  std::vector<std::string> ran;
  auto recorder = [&ran](std::string name) {
    return [&ran, name](const CheckContext&, Findings*) { ran.push_back(name); };
  };
  SuiteFunctions fns{recorder("host"),   recorder("npu"), recorder("npu_nic"),
                     recorder("nvidia"), recorder("bmc"), recorder("tcp")};
  HwProfile profile;
  CheckContext ctx;
  ctx.profile = &profile;

  profile.vendor = accel::Vendor::kAscend;
  ctx.level = Level::kR1;
  EXPECT_EQ(Names(SelectSuites(ctx, fns)),
            (std::vector<std::string>{"host", "npu", "npu_nic", "bmc"}));
  RunResult r = RunSuites(ctx, SelectSuites(ctx, fns));
  EXPECT_EQ(ran, (std::vector<std::string>{"host", "npu", "npu_nic"}));  // bmc: the SKIP suite
  ASSERT_EQ(r.findings.items.size(), 1u);
  EXPECT_EQ(r.findings.items[0].id, "bmc.reachable");

  ran.clear();
  ctx.bmc_url = "ipmi://admin@127.0.0.1:9623";
  ctx.level = Level::kR4;
  RunSuites(ctx, SelectSuites(ctx, fns));
  EXPECT_EQ(ran, (std::vector<std::string>{"host", "npu", "npu_nic", "bmc", "tcp"}));

  profile.vendor = accel::Vendor::kNvidia;
  ctx.level = Level::kR3;
  EXPECT_EQ(Names(SelectSuites(ctx, fns)), (std::vector<std::string>{"host", "nvidia", "bmc"}));

  profile.vendor = accel::Vendor::kCpu;
  EXPECT_EQ(Names(SelectSuites(ctx, fns)), (std::vector<std::string>{"host", "bmc"}));

  profile.vendor = accel::Vendor::kMetax;
  r = RunSuites(ctx, SelectSuites(ctx, fns));
  ASSERT_FALSE(r.findings.items.empty());
  EXPECT_EQ(r.findings.items[0].id, "devices.metax");
  EXPECT_EQ(r.findings.items[0].status, Verdict::kSkip);
}

}  // namespace
}  // namespace hai::hwcheck
