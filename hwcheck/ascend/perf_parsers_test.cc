#include <gtest/gtest.h>

#include "hwcheck/ascend/ascend_test_support.h"
#include "hwcheck/ascend/dmi_result.h"
#include "hwcheck/ascend/hccl_test_result.h"
#include "hwcheck/ascend/perftest_result.h"

namespace hai::hwcheck::ascend {
namespace {

using testing::Read;

TEST(PerftestTest, GbitsReport) {
  Result<PerftestBandwidth> bw = ParsePerftestBandwidth(Read("ib-write-bw-gbits.txt"));
  ASSERT_TRUE(bw.ok()) << bw.status().ToString();
  EXPECT_EQ(bw->bytes, 1048576);
  EXPECT_EQ(bw->iterations, 23412);
  EXPECT_DOUBLE_EQ(bw->average_gbps, 196.38);
  EXPECT_DOUBLE_EQ(bw->peak_gbps, 0);
}

TEST(PerftestTest, MibReportIsConvertedToGbits) {
  Result<PerftestBandwidth> bw = ParsePerftestBandwidth(Read("ib-write-bw-mib.txt"));
  ASSERT_TRUE(bw.ok());
  EXPECT_NEAR(bw->average_gbps, 10985.21 * 1048576 * 8 / 1e9, 1e-9);
}

TEST(PerftestTest, RoceTestOnTheNpu) {
  Result<PerftestBandwidth> bw = ParsePerftestBandwidth(Read("hccn-roce-test.txt"));
  ASSERT_TRUE(bw.ok());
  EXPECT_DOUBLE_EQ(bw->average_gbps, 194.27);
}

TEST(PerftestTest, NoResult) {
  EXPECT_FALSE(ParsePerftestBandwidth("Couldn't connect to 10.0.0.2:18515\n").ok());
  EXPECT_FALSE(ParsePerftestBandwidth(" #bytes #iterations BW peak[Gb/sec] BW average[Gb/sec] "
                                      "MsgRate[Mpps]\n----\n")
                   .ok());
}

TEST(DmiTest, HostToDevicePerDevice) {
  Result<std::vector<DmiValue>> rows = ParseDmiBandwidth(Read("ascend-dmi-bw-h2d.txt"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 8u);
  EXPECT_EQ((*rows)[2].device, 2);
  EXPECT_DOUBLE_EQ((*rows)[2].value, 24.66);
}

TEST(DmiTest, DeviceToDeviceKeepsTheBestRowPerDevice) {
  Result<std::vector<DmiValue>> rows = ParseDmiBandwidth(Read("ascend-dmi-bw-d2d.txt"));
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 16u);
  std::vector<DmiValue> best = BestPerDevice(*rows);
  ASSERT_EQ(best.size(), 8u);
  EXPECT_EQ(best[5].device, 5);
  EXPECT_DOUBLE_EQ(best[5].value, 1388.15);
}

TEST(DmiTest, ComputeAndTablesWithoutDeviceColumn) {
  Result<std::vector<DmiValue>> rows = ParseDmiCompute(Read("ascend-dmi-fp16.txt"));
  ASSERT_TRUE(rows.ok());
  EXPECT_DOUBLE_EQ(BestPerDevice(*rows)[7].value, 281.70);
  // No device column: rows are taken in order.
  Result<std::vector<DmiValue>> plain = ParseDmiTable(
      "Data Size(Bytes)    Bandwidth(GB/s)\n536870912    24.1\n536870912    24.3\n", {"Bandwidth"});
  ASSERT_TRUE(plain.ok());
  std::vector<DmiValue> best = BestPerDevice(*plain);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[1].device, 1);
  EXPECT_FALSE(ParseDmiCompute(Read("ascend-dmi-bw-h2d.txt")).ok());  // no TFLOPS column
}

TEST(HcclTestTest, AllSizesSucceed) {
  Result<HcclTestResult> r = ParseHcclTest(Read("hccl-allreduce-8.txt"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 18u);  // 8K … 1G by factor 2
  EXPECT_TRUE(r->failures.empty());
  const HcclRow* largest = r->Largest();
  ASSERT_NE(largest, nullptr);
  EXPECT_EQ(largest->bytes, 1073741824);
  EXPECT_EQ(largest->check, "success");
  EXPECT_NEAR(AllReduceBusBandwidth(largest->alg_bandwidth_gbs, 8),
              largest->alg_bandwidth_gbs * 14 / 8, 1e-9);
}

TEST(HcclTestTest, WithoutBars) {
  Result<HcclTestResult> r = ParseHcclTest(
      "data_size(Bytes):   aveg_time(us):   alg_bandwidth(GB/s):   check_result:\n"
      "8192                 20.06             0.40837                success\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_DOUBLE_EQ(r->rows[0].alg_bandwidth_gbs, 0.40837);
}

TEST(HcclTestTest, FailedRowAndRankLine) {
  Result<HcclTestResult> r = ParseHcclTest(Read("hccl-allreduce-failed.txt"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 4u);
  EXPECT_EQ(r->rows[2].check, "failed");
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_TRUE(r->failures[0].starts_with("rank id 3, check result failed"));
}

TEST(HcclTestTest, NullCheckResult) {
  Result<HcclTestResult> r = ParseHcclTest(Read("hccl-allreduce-null.txt"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].check, "NULL");
}

TEST(HcclTestTest, SetupFailureWithoutHeader) {
  Result<HcclTestResult> r = ParseHcclTest(Read("hccl-allreduce-rootinfo.txt"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->rows.empty());
  EXPECT_EQ(r->failures.size(), 2u);
  EXPECT_FALSE(ParseHcclTest("mpirun: nothing\n").ok());
  EXPECT_EQ(AllReduceBusBandwidth(10, 1), 0);
}

}  // namespace
}  // namespace hai::hwcheck::ascend
