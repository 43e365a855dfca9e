#include <gtest/gtest.h>

#include "hwcheck/host/chrony_tracking.h"
#include "hwcheck/host/host_test_util.h"
#include "hwcheck/host/proc_text.h"
#include "hwcheck/host/smart_report.h"
#include "lib/accel/fake_command_runner.h"

namespace hai::hwcheck::host {
namespace {

using testing::ReadFixture;
using testing::Testdata;

TEST(CpuInfo, Arm64BlocksCountedAndModelFromImplementerAndPart) {
  CpuInfo cpu = ParseCpuInfo(*ReadSmallFile(Testdata("root-healthy/proc/cpuinfo")));
  EXPECT_EQ(cpu.logical_cpus, 4);
  EXPECT_EQ(cpu.model, "arm64 implementer 0x48 part 0xd01");
}

TEST(CpuInfo, X86ModelName) {
  CpuInfo cpu = ParseCpuInfo(
      "processor\t: 0\nmodel name\t: Example CPU @ 2.60GHz\n\nprocessor\t: 1\n"
      "model name\t: Example CPU @ 2.60GHz\n");
  EXPECT_EQ(cpu.logical_cpus, 2);
  EXPECT_EQ(cpu.model, "Example CPU @ 2.60GHz");
}

TEST(MemInfo, MemTotalInMib) {
  EXPECT_EQ(ParseMemTotalMib(*ReadSmallFile(Testdata("root-healthy/proc/meminfo"))), 15834);
  EXPECT_EQ(ParseMemTotalMib("MemFree: 12 kB\n"), std::nullopt);
  EXPECT_EQ(ParseMemTotalMib("MemTotal: lots\n"), std::nullopt);
}

TEST(SelectedChoice, BracketedValue) {
  EXPECT_EQ(SelectedChoice("always [madvise] never\n"), "madvise");
  EXPECT_EQ(SelectedChoice("[always] madvise never"), "always");
  EXPECT_EQ(SelectedChoice("always madvise never"), "");
}

TEST(Smartctl, AtaPassed) {
  Result<SmartReport> r = ParseSmartctlJson(ReadFixture("smartctl/ata-passed.json"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->device_type, "sat");
  EXPECT_EQ(r->model, "EXAMPLE SSD 1920G");
  EXPECT_EQ(r->serial, "SN-SSD-0001");
  EXPECT_EQ(r->firmware, "FW1.02");
  EXPECT_EQ(r->passed, true);
  EXPECT_EQ(r->reallocated, 0);
  EXPECT_EQ(r->pending, 0);
  EXPECT_EQ(r->media_errors, std::nullopt);
}

TEST(Smartctl, AtaFailedWithReallocatedSectors) {
  Result<SmartReport> r = ParseSmartctlJson(ReadFixture("smartctl/ata-failed-realloc.json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->passed, false);
  EXPECT_EQ(r->reallocated, 1536);
  EXPECT_EQ(r->pending, 8);
  EXPECT_EQ(r->exit_status, kSmartDiskFailing);
}

TEST(Smartctl, NvmeHealthLog) {
  Result<SmartReport> r = ParseSmartctlJson(ReadFixture("smartctl/nvme-passed.json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->device_type, "nvme");
  EXPECT_EQ(r->passed, true);
  EXPECT_EQ(r->media_errors, 0);
  EXPECT_EQ(r->reallocated, std::nullopt);
}

TEST(Smartctl, UnknownDeviceTypeKeepsMessage) {
  Result<SmartReport> r = ParseSmartctlJson(ReadFixture("smartctl/unknown-type.json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->passed, std::nullopt);
  EXPECT_EQ(r->exit_status, kSmartCommandLine);
  ASSERT_EQ(r->messages.size(), 1u);
  EXPECT_NE(r->messages[0].find("Unable to detect device type"), std::string::npos);
}

TEST(Smartctl, NotJsonIsAnError) {
  EXPECT_FALSE(ParseSmartctlJson("smartctl 7.3 ...\n").ok());
  EXPECT_FALSE(ParseSmartctlJson("[1,2]").ok());
}

TEST(Chrony, Synchronised) {
  auto t = ParseChronyTracking(ReadFixture("chronyc/tracking-synced.txt"));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->leap_status, "Normal");
  EXPECT_EQ(t->reference, "C0A80A01 (192.0.2.1)");
  ASSERT_TRUE(t->system_offset_s.has_value());
  EXPECT_DOUBLE_EQ(*t->system_offset_s, -0.00004125);  // "slow" is negative
}

TEST(Chrony, NotSynchronisedAndFast) {
  auto unsynced = ParseChronyTracking(ReadFixture("chronyc/tracking-unsynced.txt"));
  ASSERT_TRUE(unsynced.has_value());
  EXPECT_EQ(unsynced->leap_status, "Not synchronised");
  auto fast = ParseChronyTracking(ReadFixture("chronyc/tracking-offset-big.txt"));
  ASSERT_TRUE(fast.has_value());
  EXPECT_DOUBLE_EQ(*fast->system_offset_s, 0.0125);
}

TEST(Chrony, OtherTextIsNotTracking) {
  EXPECT_FALSE(ParseChronyTracking("506 Cannot talk to daemon\n").has_value());
}

}  // namespace
}  // namespace hai::hwcheck::host
