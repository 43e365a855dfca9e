// RunNpuChecks on a recorded 8-NPU node: healthy, sick, tool-less, by level,
// against a baseline, and on a node that is not Ascend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "hwcheck/ascend/ascend_node_fake.h"
#include "hwcheck/baseline.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck::ascend {
namespace {

using testing::CountWithPrefix;
using ::testing::ElementsAre;
using testing::Fact;
using testing::FakeAscendNode;
using testing::Find;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::NotPassing;

TEST(NpuSuiteTest, HealthyNodeAtR3PassesEverything) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.ctx().level = Level::kR3;
  Findings f;
  RunNpuChecks(node.ctx(), &f);

  EXPECT_THAT(NotPassing(f), ElementsAre());
  // r1: 2 counts, names, topology, 5 per NPU, 4 versions; r2: 2 per NPU; r3: 1 per NPU + 2.
  EXPECT_EQ(f.items.size(), 2u + 8 + 1 + 8 * 5 + 4 + 8 * 2 + 8 + 2);
  EXPECT_EQ(Find(f, "npu.count")->number, 8);
  EXPECT_EQ(Find(f, "npu.pci_count")->number, 8);
  EXPECT_EQ(Find(f, "npu.name.3")->value, "Ascend 910B3");
  EXPECT_EQ(Find(f, "npu.hbm_capacity.0")->threshold, ">= 62260 MiB (0.95 x 65536)");
  EXPECT_EQ(Find(f, "npu.ecc_single.0")->threshold, "recorded (no baseline)");
  EXPECT_EQ(Find(f, "npu.ecc_single.0")->number, 2);
  EXPECT_EQ(Find(f, "npu.h2d_bw.2")->number, 24.66);
  EXPECT_EQ(Find(f, "npu.d2d_bw.5")->number, 1388.15);
  EXPECT_EQ(Find(f, "npu.fp16_tflops.7")->number, 281.70);
  const CheckItem* busbw = Find(f, "npu.allreduce.busbw");
  ASSERT_NE(busbw, nullptr);
  EXPECT_NEAR(*busbw->number, 139.63587 * 14 / 8, 1e-6);
  EXPECT_EQ(busbw->threshold, "recorded (no baseline)");
  EXPECT_EQ(Find(f, "versions.compatible")->value, "7.5.0.1.129");
  EXPECT_EQ(Fact(f, "versions.driver"), "24.1.rc2");
  EXPECT_EQ(Fact(f, "versions.firmware"), "7.5.0.1.129");
  EXPECT_EQ(Fact(f, "versions.toolkit"), "8.0.RC3");
  for (const CheckItem& item : f.items) {
    EXPECT_EQ(item.level <= Level::kR3, true) << item.id;
    EXPECT_FALSE(item.category.empty()) << item.id;
  }
  ASSERT_EQ(f.assets.size(), 8u);
  EXPECT_EQ(f.assets[4].slot, "4");
  EXPECT_EQ(f.assets[4].kind, "npu");
  EXPECT_EQ(f.assets[4].serial, "033VNY10MA000005");  // board has none: from info -l
  EXPECT_EQ(f.assets[4].version, "7.1.0.5.220");
  EXPECT_EQ(f.assets[4].source, "npu-smi");
}

TEST(NpuSuiteTest, SickNodeGivesExactlyTheExpectedVerdicts) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.NpuQuery("health", 5, Fixture("npu-smi-health-alarm.txt"));
  node.NpuQuery("health", 1, testing::AccelFixture("ascend/npu-smi-health-warning.txt"));
  node.NpuQuery("ecc", 2, Fixture("npu-smi-ecc-double.txt"));
  node.NpuQuery("memory", 6, Fixture("npu-smi-memory-short.txt"));
  node.Npu({"info", "-t", "topo"}, Fixture("npu-smi-topo-pcie.txt"));
  Findings f;
  RunNpuChecks(node.ctx(), &f);

  EXPECT_THAT(NotPassing(f),
              ElementsAre("npu.topology FAIL", "npu.health.1 WARN", "npu.ecc_double.2 FAIL",
                          "npu.health.5 FAIL", "npu.hbm_capacity.6 FAIL"));
  EXPECT_THAT(Find(f, "npu.health.5")->value, HasSubstr("Alarm (Error Code 8C03A000 80E3A201)"));
  EXPECT_THAT(Find(f, "npu.health.1")->value, HasSubstr("Warning"));  // the 950 `Health` key
  EXPECT_THAT(Find(f, "npu.hbm_capacity.6")->reason, HasSubstr("61440 MiB"));
  EXPECT_EQ(Find(f, "npu.ecc_double.2")->number, 1);
  for (const CheckItem& item : f.items) {
    if (item.status != Verdict::kPass) {
      EXPECT_FALSE(item.reason.empty()) << item.id;
    }
  }
}

TEST(NpuSuiteTest, WrongModelCountAndFirmware) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.profile().device_model = "Ascend910B4";
  node.profile().device_count = 16;
  std::ofstream(node.root() + "/usr/local/Ascend/firmware/version.info") << "Version=7.6.0.1\n";
  Findings f;
  RunNpuChecks(node.ctx(), &f);
  EXPECT_EQ(Find(f, "npu.count")->status, Verdict::kFail);
  EXPECT_EQ(Find(f, "npu.pci_count")->status, Verdict::kFail);
  EXPECT_EQ(Find(f, "npu.name.0")->status, Verdict::kFail);
  EXPECT_EQ(Find(f, "npu.topology")->status, Verdict::kPass);  // 8 NPUs listed, all HCCS
  EXPECT_EQ(Find(f, "versions.compatible")->status, Verdict::kFail);
  EXPECT_THAT(Find(f, "versions.compatible")->reason, HasSubstr("[7.0.0,7.5.99]"));
}

TEST(NpuSuiteTest, MissingToolsAreSkipsNeverPasses) {
  FakeAscendNode node;  // nothing recorded: every tool "not found"
  node.ctx().root = node.root() + "/nothing-here";
  node.ctx().level = Level::kR4;
  node.ctx().hostfile = "/nonexistent";
  Findings f;
  RunNpuChecks(node.ctx(), &f);
  ASSERT_FALSE(f.items.empty());
  for (const CheckItem& item : f.items) {
    EXPECT_EQ(item.status, Verdict::kSkip) << item.id << ": " << item.reason;
    EXPECT_FALSE(item.reason.empty()) << item.id;
  }
  EXPECT_EQ(Find(f, "npu.health.0")->reason, "npu-smi not found");
  EXPECT_EQ(CountWithPrefix(f, "npu.health."), 8);  // ids from the profile's count
  EXPECT_THAT(Find(f, "npu.allreduce.check")->reason, HasSubstr("all_reduce_test not found"));
  EXPECT_TRUE(f.facts.empty());
  EXPECT_TRUE(f.assets.empty());
}

TEST(NpuSuiteTest, FailingToolIsAFail) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.runner().AddOutput({"npu-smi", "info", "-t", "health", "-i", "3"}, "", 2,
                          "dcmi module initialize failed");
  node.runner().AddTimeout({"npu-smi", "info", "-t", "topo"});
  Findings f;
  RunNpuChecks(node.ctx(), &f);
  EXPECT_EQ(Find(f, "npu.health.3")->status, Verdict::kFail);
  EXPECT_THAT(Find(f, "npu.health.3")->reason, HasSubstr("dcmi module initialize failed"));
  EXPECT_EQ(Find(f, "npu.topology")->status, Verdict::kFail);
  EXPECT_THAT(Find(f, "npu.topology")->reason, HasSubstr("timed out"));
}

TEST(NpuSuiteTest, LevelsAreCumulativeAndFiltered) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  Findings r1;
  RunNpuChecks(node.ctx(), &r1);
  EXPECT_EQ(CountWithPrefix(r1, "npu.h2d_bw."), 0);
  EXPECT_EQ(CountWithPrefix(r1, "npu.allreduce."), 0);
  for (const CheckItem& item : r1.items) EXPECT_EQ(item.level, Level::kR1) << item.id;
  for (const std::string& call : node.runner().calls()) {
    EXPECT_THAT(call, ::testing::Not(HasSubstr("ascend-dmi")));
    EXPECT_THAT(call, ::testing::Not(HasSubstr("mpirun")));
  }

  node.ctx().level = Level::kR2;
  Findings r2;
  RunNpuChecks(node.ctx(), &r2);
  EXPECT_EQ(CountWithPrefix(r2, "npu.h2d_bw."), 8);
  EXPECT_EQ(CountWithPrefix(r2, "npu.d2d_bw."), 8);
  EXPECT_EQ(CountWithPrefix(r2, "npu.fp16_tflops."), 0);
  EXPECT_EQ(Find(r2, "npu.h2d_bw.0")->level, Level::kR2);
  EXPECT_EQ(r2.items.size(), r1.items.size() + 16);
}

TEST(NpuSuiteTest, R4AllReduceOverTheHostfile) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.ctx().level = Level::kR4;
  std::string hostfile = node.root() + "/hostfile";
  std::ofstream(hostfile) << "# three nodes\nnode-a:8\nnode-b:8\nnode-c\n";
  node.ctx().hostfile = hostfile;
  std::vector<std::string> argv = {"mpirun", "-f", hostfile, "-n", "24"};
  for (const std::string& a : node.AllReduceArgs()) argv.push_back(a);
  node.runner().AddFile(argv, Fixture("hccl-allreduce-failed.txt"));
  Findings f;
  RunNpuChecks(node.ctx(), &f);
  const CheckItem* check = Find(f, "cluster.allreduce.check");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, Verdict::kFail);
  EXPECT_EQ(check->level, Level::kR4);
  EXPECT_THAT(check->reason, HasSubstr("rank id 3, check result failed"));
  const CheckItem* busbw = Find(f, "cluster.allreduce.busbw");
  EXPECT_NEAR(*busbw->number, 3.20156 * 2 * 23 / 24, 1e-9);  // largest size, 24 ranks
  EXPECT_EQ(Find(f, "npu.allreduce.check")->status, Verdict::kPass);
}

TEST(NpuSuiteTest, R4WithoutHostfileSkips) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.ctx().level = Level::kR4;
  Findings f;
  RunNpuChecks(node.ctx(), &f);
  EXPECT_EQ(Find(f, "cluster.allreduce.check")->status, Verdict::kSkip);
  EXPECT_THAT(Find(f, "cluster.allreduce.busbw")->reason, HasSubstr("--hostfile"));
}

TEST(NpuSuiteTest, NullCheckResultWarnsAndRootInfoFails) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.ctx().level = Level::kR3;
  std::vector<std::string> intra = {"mpirun", "-n", "8"};
  for (const std::string& a : node.AllReduceArgs()) intra.push_back(a);
  node.runner().AddFile(intra, Fixture("hccl-allreduce-null.txt"));
  Findings f;
  RunNpuChecks(node.ctx(), &f);
  EXPECT_EQ(Find(f, "npu.allreduce.check")->status, Verdict::kWarn);

  node.runner().AddOutput(intra, testing::Read("hccl-allreduce-rootinfo.txt"), 1);
  Findings g;
  RunNpuChecks(node.ctx(), &g);
  EXPECT_EQ(Find(g, "npu.allreduce.check")->status, Verdict::kFail);
  EXPECT_THAT(Find(g, "npu.allreduce.check")->reason, HasSubstr("socket timeout"));
  EXPECT_EQ(Find(g, "npu.allreduce.busbw")->status, Verdict::kFail);
}

TEST(NpuSuiteTest, BaselineRelativeThresholds) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.ctx().level = Level::kR3;
  Baseline baseline;
  auto number = [&](const std::string& id, double v) {
    CheckItem item;
    item.id = id;
    item.number = v;
    baseline.items[id] = item;
  };
  number("npu.h2d_bw.0", 30.0);          // 0.9 × 30 = 27 > 24.61 → FAIL
  number("npu.d2d_bw.0", 1400.0);        // 1260 ≤ 1388.10 → PASS
  number("npu.fp16_tflops.0", 281.0);    // 266.95 ≤ 281.62 → PASS
  number("npu.ecc_single.0", 1.0);       // 2 > 1 → WARN
  number("npu.ecc_single.1", 2.0);       // 2 ≤ 2 → PASS
  number("npu.allreduce.busbw", 300.0);  // 270 > 244.36 → FAIL
  node.ctx().baseline = &baseline;
  node.profile().h2d_min_gbps = 20;  // the higher of floor and baseline wins
  Findings f;
  RunNpuChecks(node.ctx(), &f);
  EXPECT_THAT(NotPassing(f), ElementsAre("npu.ecc_single.0 WARN", "npu.h2d_bw.0 FAIL",
                                         "npu.allreduce.busbw FAIL"));
  EXPECT_EQ(Find(f, "npu.h2d_bw.0")->threshold, ">= 27.00 GB/s (0.90 x baseline 30.00)");
  EXPECT_EQ(Find(f, "npu.h2d_bw.1")->threshold, ">= 20.00 GB/s");
  EXPECT_EQ(Find(f, "npu.d2d_bw.0")->threshold, ">= 1260.00 GB/s (0.90 x baseline 1400.00)");
  EXPECT_EQ(Find(f, "npu.d2d_bw.1")->threshold, "recorded (no baseline)");
  EXPECT_EQ(Find(f, "npu.ecc_single.1")->threshold, "<= baseline 2");
}

TEST(NpuSuiteTest, NotAnAscendNodeAddsNothing) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.profile().vendor = accel::Vendor::kNvidia;
  Findings f;
  RunNpuChecks(node.ctx(), &f);
  EXPECT_TRUE(f.items.empty());
  EXPECT_TRUE(node.runner().calls().empty());
}

}  // namespace
}  // namespace hai::hwcheck::ascend
