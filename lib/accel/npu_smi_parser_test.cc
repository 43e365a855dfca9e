#include "lib/accel/npu_smi_parser.h"

#include <gtest/gtest.h>

#include "lib/accel/accel_testdata.h"

namespace hai::accel {
namespace {

using testing::ReadFixture;

TEST(NpuSmiInfoTest, Parses910BSummaryTable) {
  auto chips = ParseNpuSmiInfo(ReadFixture("ascend/npu-smi-info-910b3.txt"));
  ASSERT_TRUE(chips.ok()) << chips.status().ToString();
  ASSERT_EQ(chips->size(), 8u);  // the process table is not read as NPUs
  const NpuChipSummary& c0 = (*chips)[0];
  EXPECT_EQ(c0.npu_id, 0);
  EXPECT_EQ(c0.chip_id, 0);
  EXPECT_EQ(c0.name, "910B3");
  EXPECT_EQ(c0.health, "OK");
  EXPECT_DOUBLE_EQ(c0.power_w, 93.6);
  EXPECT_DOUBLE_EQ(c0.temperature_c, 36);
  EXPECT_EQ(c0.bus_id, "0000:C1:00.0");
  EXPECT_DOUBLE_EQ(c0.aicore_percent, 0);
  EXPECT_EQ(c0.memory_total_mib, 0);  // 910B: DDR `0 / 0`
  EXPECT_EQ(c0.hbm_used_mib, 3162);
  EXPECT_EQ(c0.hbm_total_mib, 65536);
  EXPECT_DOUBLE_EQ((*chips)[1].aicore_percent, 12);
  EXPECT_EQ((*chips)[3].health, "Warning");
  // `65099/ 65536`: the value glued to the slash.
  EXPECT_EQ((*chips)[4].hbm_used_mib, 65099);
  EXPECT_EQ((*chips)[4].hbm_total_mib, 65536);
  EXPECT_EQ((*chips)[7].bus_id, "0000:42:00.0");
}

TEST(NpuSmiInfoTest, Parses310StyleTableWithoutHbm) {
  auto chips = ParseNpuSmiInfo(ReadFixture("ascend/npu-smi-info-310p.txt"));
  ASSERT_TRUE(chips.ok()) << chips.status().ToString();
  ASSERT_EQ(chips->size(), 2u);
  EXPECT_EQ((*chips)[0].npu_id, 8);
  EXPECT_EQ((*chips)[0].name, "310P3");
  EXPECT_EQ((*chips)[0].hbm_total_mib, -1);
  EXPECT_EQ((*chips)[0].memory_used_mib, 1502);
  EXPECT_EQ((*chips)[0].memory_total_mib, 44280);
  EXPECT_DOUBLE_EQ((*chips)[0].aicore_percent, 2);
  EXPECT_EQ((*chips)[1].health, "Alarm");
  EXPECT_EQ(NpuHealth((*chips)[1].health), Health::kCritical);
}

TEST(NpuSmiInfoTest, Finds950StyleUtilColumnByName) {
  const char* text =
      "| NPU   Name      | Health | Power(W)  Temp(C)  Hugepages-Usage(page) |\n"
      "| Chip  Bus-Id    | Bus-Id | NPU Util(%)  HBM-Usage(MB)            |\n"
      "+=================+========+==========================================+\n"
      "| 0     950PR     | OK     | NA        40       0 / 0                 |\n"
      "| 0               | 0000:01:00.0 | 37     1000 / 98304                |\n"
      "+=================+========+==========================================+\n";
  auto chips = ParseNpuSmiInfo(text);
  ASSERT_TRUE(chips.ok()) << chips.status().ToString();
  ASSERT_EQ(chips->size(), 1u);
  EXPECT_DOUBLE_EQ((*chips)[0].aicore_percent, 37);
  EXPECT_EQ((*chips)[0].hbm_total_mib, 98304);
  EXPECT_DOUBLE_EQ((*chips)[0].power_w, -1);  // NA is unknown, not zero
}

TEST(NpuSmiInfoTest, OutputWithoutTableIsAnError) {
  auto chips = ParseNpuSmiInfo("dcmi module initialize failed. ret is -8005\n");
  EXPECT_EQ(chips.status().code(), Code::kInvalidArgument);
}

TEST(NpuDetailsTest, Board) {
  NpuDetails d = ParseNpuDetails(ReadFixture("ascend/npu-smi-board.txt"));
  EXPECT_EQ(d.firmware, "7.1.0.5.220");
  EXPECT_EQ(d.hbm_capacity_mib, -1);
}

TEST(NpuDetailsTest, Memory) {
  NpuDetails d = ParseNpuDetails(ReadFixture("ascend/npu-smi-memory.txt"));
  EXPECT_EQ(d.hbm_capacity_mib, 65536);
}

TEST(NpuDetailsTest, Usages) {
  NpuDetails d = ParseNpuDetails(ReadFixture("ascend/npu-smi-usages.txt"));
  EXPECT_EQ(d.hbm_capacity_mib, 65536);
  EXPECT_DOUBLE_EQ(d.hbm_usage_percent, 5);
  EXPECT_DOUBLE_EQ(d.aicore_percent, 3);
}

TEST(NpuDetailsTest, CommonDropsTheMcuBlock) {
  NpuDetails d = ParseNpuDetails(ReadFixture("ascend/npu-smi-common.txt"));
  EXPECT_EQ(d.aicore_count, 20);
  EXPECT_DOUBLE_EQ(d.temperature_c, 36);  // not the MCU's 31
  EXPECT_DOUBLE_EQ(d.power_w, 93.6);
}

TEST(NpuDetailsTest, HealthInBothKeySpellings) {
  NpuDetails ok = ParseNpuDetails(ReadFixture("ascend/npu-smi-health-ok.txt"));
  EXPECT_EQ(ok.health, "OK");
  EXPECT_EQ(ok.error_code, "NA");
  NpuDetails warn = ParseNpuDetails(ReadFixture("ascend/npu-smi-health-warning.txt"));
  EXPECT_EQ(NpuHealth(warn.health), Health::kWarning);
  EXPECT_EQ(warn.error_code, "80E18005");
  EXPECT_EQ(NpuHealth("UNKNOWN"), Health::kUnknown);
}

TEST(NpuDetailsTest, EccCountsDoubleBitErrorsOnly) {
  NpuDetails d = ParseNpuDetails(ReadFixture("ascend/npu-smi-ecc.txt"));
  EXPECT_EQ(d.hbm_double_bit_errors, 0);  // the 2 single-bit errors were corrected
}

TEST(NpuTopologyTest, EightCardBoxIsOneHccsIsland) {
  EXPECT_EQ(ParseNpuTopology(ReadFixture("ascend/npu-smi-topo-910b.txt")),
            (std::vector<int>(8, 0)));
}

}  // namespace
}  // namespace hai::accel
