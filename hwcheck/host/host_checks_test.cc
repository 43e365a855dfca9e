#include <gtest/gtest.h>

#include "hwcheck/host/host_test_util.h"
#include "hwcheck/host/serve_test_util.h"
#include "hwcheck/suites.h"
#include "lib/accel/fake_command_runner.h"

namespace hai::hwcheck {
namespace {

using host::testing::FactOf;
using host::testing::HasItem;
using host::testing::ItemById;
using host::testing::Testdata;

const std::vector<std::string> kSmartSda = {"smartctl", "--json", "-H", "-A", "-i", "/dev/sda"};
const std::vector<std::string> kSmartNvme = {"smartctl", "--json", "-H",
                                             "-A",       "-i",     "/dev/nvme0n1"};
const std::vector<std::string> kChronyc = {"chronyc", "-n", "tracking"};

// A host check run on a recorded tree with recorded tool outputs.
class HostChecksTest : public ::testing::Test {
 protected:
  HostChecksTest() : tools_(runner_, evidence_) {
    profile_.host_cpu_cores = 4;
    profile_.host_memory_mib = 16384;  // 0.95 × 16384 = 15564 ≤ 15834 recorded
    ctx_.node = "n1";
    ctx_.profile = &profile_;
    ctx_.tools = &tools_;
    ctx_.root = Testdata("root-healthy");
  }

  void HealthyTools() {
    runner_.AddFile(kSmartSda, Testdata("smartctl/ata-passed.json"));
    runner_.AddFile(kSmartNvme, Testdata("smartctl/nvme-passed.json"));
    runner_.AddFile(kChronyc, Testdata("chronyc/tracking-synced.txt"));
  }

  Findings Run() {
    Findings f;
    RunHostChecks(ctx_, &f);
    return f;
  }

  accel::FakeCommandRunner runner_;
  EvidenceStore evidence_{""};
  ToolRunner tools_;
  HwProfile profile_;
  Baseline baseline_;
  CheckContext ctx_;
};

TEST_F(HostChecksTest, HealthyNodePassesEverything) {
  HealthyTools();
  Findings f = Run();
  for (const CheckItem& item : f.items) {
    EXPECT_EQ(item.status, Verdict::kPass) << item.id << ": " << item.reason;
    EXPECT_EQ(item.category, "host") << item.id;
    EXPECT_EQ(item.level, Level::kR1) << item.id;
  }
  EXPECT_EQ(ItemById(f, "host.cpu.cores").value, "4 logical CPUs");
  EXPECT_EQ(ItemById(f, "host.cpu.model").value, "arm64 implementer 0x48 part 0xd01");
  EXPECT_EQ(ItemById(f, "host.memory.total").number, 15834);
  EXPECT_EQ(ItemById(f, "host.edac.ue").number, 0);
  CheckItem ce = ItemById(f, "host.edac.ce");
  EXPECT_EQ(ce.number, 5);  // 3 + 2 over two controllers
  EXPECT_EQ(ce.threshold, "recorded (no baseline)");
  EXPECT_EQ(ItemById(f, "host.kernel.thp").value, "madvise");
  EXPECT_EQ(ItemById(f, "host.kernel.vm_swappiness").value, "10");
  EXPECT_EQ(ItemById(f, "host.ntp.sync").value, "Normal");
  EXPECT_EQ(ItemById(f, "host.ntp.offset").value, "-0.041 ms");
  EXPECT_EQ(ItemById(f, "host.smart.sda").value, "PASSED");
  EXPECT_EQ(ItemById(f, "host.smart_realloc.sda").number, 0);
  EXPECT_EQ(ItemById(f, "host.smart.nvme0n1").value, "PASSED");
  // loop, device-mapper and zram devices are not disks.
  EXPECT_FALSE(HasItem(f, "host.smart.loop0"));
  EXPECT_FALSE(HasItem(f, "host.smart.dm-0"));
  EXPECT_FALSE(HasItem(f, "host.smart.zram0"));
  EXPECT_EQ(runner_.calls().size(), 3u);
  EXPECT_EQ(FactOf(f, "host.kernel"), "5.10.0-182.0.0.95.oe2203sp3.aarch64");
  EXPECT_EQ(FactOf(f, "host.bios_vendor"), "ExampleBIOS");
  EXPECT_EQ(FactOf(f, "host.bios_version"), "1.85");
}

TEST_F(HostChecksTest, AssetsFromDmiAndSmartctl) {
  HealthyTools();
  Findings f = Run();
  std::map<std::string, AssetRecord> by_kind_slot;
  for (const AssetRecord& a : f.assets) by_kind_slot[a.kind + "/" + a.slot] = a;
  ASSERT_EQ(by_kind_slot.size(), 5u);
  EXPECT_EQ(by_kind_slot["system/"].serial, "SN-SYS-0001");
  EXPECT_EQ(by_kind_slot["system/"].model, "Example Server 2280");
  EXPECT_EQ(by_kind_slot["system/"].source, "dmi");
  EXPECT_EQ(by_kind_slot["bios/"].version, "1.85");
  EXPECT_EQ(by_kind_slot["board/"].serial, "SN-BRD-0001");
  EXPECT_EQ(by_kind_slot["disk/sda"].serial, "SN-SSD-0001");
  EXPECT_EQ(by_kind_slot["disk/sda"].vendor, "ATA");
  EXPECT_EQ(by_kind_slot["disk/sda"].version, "FW1.02");
  EXPECT_EQ(by_kind_slot["disk/nvme0n1"].source, "smartctl");
  for (const AssetRecord& a : f.assets) EXPECT_EQ(a.node, "n1");
}

TEST_F(HostChecksTest, DegradedTreeFailsAndWarns) {
  ctx_.root = Testdata("root-degraded");
  HealthyTools();
  Findings f = Run();
  CheckItem ue = ItemById(f, "host.edac.ue");
  EXPECT_EQ(ue.status, Verdict::kFail);
  EXPECT_NE(ue.reason.find("mc1 1"), std::string::npos) << ue.reason;
  EXPECT_EQ(ItemById(f, "host.memory.total").status, Verdict::kFail);
  CheckItem thp = ItemById(f, "host.kernel.thp");
  EXPECT_EQ(thp.status, Verdict::kWarn);
  EXPECT_EQ(thp.value, "always");
  EXPECT_EQ(thp.threshold, "== madvise");
  EXPECT_EQ(ItemById(f, "host.kernel.vm_swappiness").status, Verdict::kWarn);
  EXPECT_EQ(ItemById(f, "host.kernel.kernel_numa_balancing").status, Verdict::kSkip);
  EXPECT_TRUE(FactOf(f, "host.bios_vendor").empty());  // no DMI on this tree
  for (const AssetRecord& a : f.assets) EXPECT_EQ(a.kind, "disk");
}

TEST_F(HostChecksTest, CpuCountAgainstProfile) {
  HealthyTools();
  profile_.host_cpu_cores = 8;
  EXPECT_EQ(ItemById(Run(), "host.cpu.cores").status, Verdict::kFail);
  profile_.host_cpu_cores = 2;
  EXPECT_EQ(ItemById(Run(), "host.cpu.cores").status, Verdict::kWarn);
  profile_.host_cpu_cores = 0;
  CheckItem recorded = ItemById(Run(), "host.cpu.cores");
  EXPECT_EQ(recorded.status, Verdict::kPass);
  EXPECT_EQ(recorded.threshold, "recorded (no baseline)");
  EXPECT_EQ(recorded.number, 4);
}

TEST_F(HostChecksTest, NoEdacIsSkippedWithReason) {
  HealthyTools();
  ctx_.root = Testdata("root-healthy/proc");  // a tree without sys/
  Findings f = Run();
  CheckItem ue = ItemById(f, "host.edac.ue");
  EXPECT_EQ(ue.status, Verdict::kSkip);
  EXPECT_NE(ue.reason.find("EDAC"), std::string::npos);
  EXPECT_EQ(ItemById(f, "host.smart").status, Verdict::kSkip);  // no /sys/block either
}

TEST_F(HostChecksTest, CorrectedErrorsGrowingOverBaselineWarn) {
  HealthyTools();
  CheckItem before = Pass("host.edac.ce", Level::kR1, "host", "", "2");
  before.number = 2;
  baseline_.items["host.edac.ce"] = before;
  ctx_.baseline = &baseline_;
  CheckItem ce = ItemById(Run(), "host.edac.ce");
  EXPECT_EQ(ce.status, Verdict::kWarn);
  EXPECT_EQ(ce.threshold, "<= 2 (baseline)");
  baseline_.items["host.edac.ce"].number = 5;
  EXPECT_EQ(ItemById(Run(), "host.edac.ce").status, Verdict::kPass);
}

TEST_F(HostChecksTest, SmartFailedDiskFailsAndSectorsWarn) {
  runner_.AddOutput(kSmartSda, host::testing::ReadFixture("smartctl/ata-failed-realloc.json"),
                    /*exit_code=*/8);
  runner_.AddFile(kSmartNvme, Testdata("smartctl/nvme-passed.json"));
  Findings f = Run();
  CheckItem smart = ItemById(f, "host.smart.sda");
  EXPECT_EQ(smart.status, Verdict::kFail);
  EXPECT_EQ(smart.value, "FAILED");
  CheckItem realloc = ItemById(f, "host.smart_realloc.sda");
  EXPECT_EQ(realloc.status, Verdict::kWarn);
  EXPECT_EQ(realloc.number, 1536);
  EXPECT_EQ(ItemById(f, "host.smart_pending.sda").status, Verdict::kWarn);
  EXPECT_EQ(ItemById(f, "host.smart.nvme0n1").status, Verdict::kPass);
}

TEST_F(HostChecksTest, SectorsNotGrowingOverBaselinePass) {
  runner_.AddFile(kSmartNvme, Testdata("smartctl/nvme-passed.json"));
  runner_.AddOutput(kSmartSda, host::testing::ReadFixture("smartctl/ata-failed-realloc.json"), 8);
  CheckItem before = Pass("host.smart_pending.sda", Level::kR1, "host", "", "8 sectors");
  before.number = 8;
  baseline_.items[before.id] = before;
  ctx_.baseline = &baseline_;
  Findings f = Run();
  EXPECT_EQ(ItemById(f, "host.smart_pending.sda").status, Verdict::kPass);
  EXPECT_EQ(ItemById(f, "host.smart_realloc.sda").status, Verdict::kWarn);  // no baseline
}

TEST_F(HostChecksTest, UnknownDeviceTypeIsNotApplicable) {
  runner_.AddFile(kSmartNvme, Testdata("smartctl/nvme-passed.json"));
  runner_.AddOutput(kSmartSda, host::testing::ReadFixture("smartctl/unknown-type.json"), 1);
  CheckItem item = ItemById(Run(), "host.smart.sda");
  EXPECT_EQ(item.status, Verdict::kSkip);
  EXPECT_NE(item.reason.find("Unable to detect device type"), std::string::npos) << item.reason;
}

TEST_F(HostChecksTest, MissingToolsAreSkippedNeverPassed) {
  Findings f = Run();  // nothing recorded: smartctl and chronyc "not found"
  for (const char* id :
       {"host.smart.sda", "host.smart.nvme0n1", "host.ntp.sync", "host.ntp.offset"}) {
    CheckItem item = ItemById(f, id);
    EXPECT_EQ(item.status, Verdict::kSkip) << id;
    EXPECT_NE(item.reason.find("not found"), std::string::npos) << id << ": " << item.reason;
  }
  EXPECT_EQ(runner_.calls().size(), 2u);  // smartctl asked once, chronyc once
}

TEST_F(HostChecksTest, SmartctlTimeoutFails) {
  runner_.AddFile(kSmartNvme, Testdata("smartctl/nvme-passed.json"));
  runner_.AddTimeout(kSmartSda);
  EXPECT_EQ(ItemById(Run(), "host.smart.sda").status, Verdict::kFail);
}

TEST_F(HostChecksTest, ChronyNotSynchronisedFails) {
  runner_.AddFile(kChronyc, Testdata("chronyc/tracking-unsynced.txt"));
  Findings f = Run();
  CheckItem sync = ItemById(f, "host.ntp.sync");
  EXPECT_EQ(sync.status, Verdict::kFail);
  EXPECT_EQ(sync.value, "Not synchronised");
  EXPECT_EQ(ItemById(f, "host.ntp.offset").status, Verdict::kSkip);
}

TEST_F(HostChecksTest, ChronyOffsetTooBigFails) {
  runner_.AddFile(kChronyc, Testdata("chronyc/tracking-offset-big.txt"));
  Findings f = Run();
  EXPECT_EQ(ItemById(f, "host.ntp.sync").status, Verdict::kPass);
  CheckItem offset = ItemById(f, "host.ntp.offset");
  EXPECT_EQ(offset.status, Verdict::kFail);
  EXPECT_EQ(offset.value, "12.5 ms");
  EXPECT_EQ(offset.threshold, "|offset| <= 1 ms");
  EXPECT_NE(offset.reason.find("fast"), std::string::npos);
  profile_.ntp_max_offset_ms = 20;
  EXPECT_EQ(ItemById(Run(), "host.ntp.offset").status, Verdict::kPass);
}

TEST_F(HostChecksTest, ChronyDaemonDownFails) {
  runner_.AddOutput(kChronyc, "", 1, "506 Cannot talk to daemon\n");
  Findings f = Run();
  CheckItem sync = ItemById(f, "host.ntp.sync");
  EXPECT_EQ(sync.status, Verdict::kFail);
  EXPECT_NE(sync.reason.find("506"), std::string::npos) << sync.reason;
}

}  // namespace
}  // namespace hai::hwcheck

namespace hai::hwcheck {
namespace {

TEST(HostChecksEvidence, EveryJudgedItemNamesItsEvidence) {
  host::testing::TempDir dir;
  accel::FakeCommandRunner runner;
  runner.AddFile(kSmartSda, Testdata("smartctl/ata-passed.json"));
  runner.AddFile(kSmartNvme, Testdata("smartctl/nvme-passed.json"));
  runner.AddFile(kChronyc, Testdata("chronyc/tracking-synced.txt"));
  EvidenceStore evidence(dir.path());
  ToolRunner tools(runner, evidence);
  HwProfile profile;
  profile.host_memory_mib = 16384;
  CheckContext ctx;
  ctx.profile = &profile;
  ctx.tools = &tools;
  ctx.root = Testdata("root-healthy");
  Findings f;
  RunHostChecks(ctx, &f);
  for (const CheckItem& item : f.items) {
    if (item.id == "host.cpu.model") continue;  // read together with host.cpu.cores
    EXPECT_FALSE(item.evidence.empty()) << item.id;
    for (const std::string& name : item.evidence)
      EXPECT_TRUE(std::filesystem::exists(dir.path() + "/" + name)) << item.id << " " << name;
  }
}

}  // namespace
}  // namespace hai::hwcheck
