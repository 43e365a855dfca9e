#include "hwcheck/ascend/npu_smi_lists.h"

#include <gtest/gtest.h>

#include "hwcheck/ascend/ascend_test_support.h"
#include "hwcheck/ascend/npu_ecc.h"
#include "hwcheck/ascend/npu_topology.h"

namespace hai::hwcheck::ascend {
namespace {

using testing::AccelFixture;
using testing::Read;
using testing::ReadText;

TEST(NpuListTest, TotalCountAndCards) {
  Result<NpuList> list = ParseNpuList(Read("npu-smi-info-l.txt"));
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->total_count, 8);
  ASSERT_EQ(list->cards.size(), 8u);
  EXPECT_EQ(list->cards[7].npu_id, 7);
  EXPECT_EQ(list->cards[7].chip_count, 1);
  EXPECT_EQ(list->cards[0].serial, "033VNY10MA000001");
  EXPECT_EQ(list->cards[0].product, "NPU-MODULE-X");
}

TEST(NpuListTest, CardsWithoutSerialAndTotalInTheSameBlock) {
  Result<NpuList> list = ParseNpuList(
      "\tTotal Count                    : 2\n\tNPU ID                         : 0\n"
      "\tChip Count                     : 1\n\n\tNPU ID                         : 1\n"
      "\tChip Count                     : 1\n");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total_count, 2);
  ASSERT_EQ(list->cards.size(), 2u);
  EXPECT_EQ(list->cards[1].serial, "");
}

TEST(NpuListTest, GarbageIsAnError) {
  EXPECT_FALSE(ParseNpuList("npu-smi: command failed\n").ok());
}

TEST(NpuChipMapTest, DropsMcuRowsAndKeepsNamesWithBlanks) {
  Result<std::vector<NpuChip>> chips = ParseNpuChipMap(Read("npu-smi-info-m.txt"));
  ASSERT_TRUE(chips.ok()) << chips.status().ToString();
  ASSERT_EQ(chips->size(), 8u);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ((*chips)[i].npu_id, i);
    EXPECT_EQ((*chips)[i].chip_id, 0);
    EXPECT_EQ((*chips)[i].logic_id, i);
    EXPECT_EQ((*chips)[i].name, "Ascend 910B3");
  }
}

TEST(NpuChipMapTest, NoHeaderIsAnError) {
  EXPECT_FALSE(ParseNpuChipMap("0 0 0 Ascend 910B3\n").ok());
}

TEST(NpuEccTest, CountsFromTheRecordedLayout) {
  NpuEcc ecc = ParseNpuEcc(ReadText(AccelFixture("ascend/npu-smi-ecc.txt")));
  EXPECT_EQ(ecc.hbm_single_bit, 2);
  EXPECT_EQ(ecc.hbm_double_bit, 0);
  EXPECT_EQ(ecc.IsolatedPages(), 0);
  NpuEcc bad = ParseNpuEcc(Read("npu-smi-ecc-double.txt"));
  EXPECT_EQ(bad.hbm_double_bit, 1);
  EXPECT_EQ(bad.hbm_single_bit, 7);
  EXPECT_EQ(bad.IsolatedPages(), 1);
}

TEST(NpuEccTest, MissingKeysStayUnknown) {
  NpuEcc ecc = ParseNpuEcc("\tHealth Status                   : OK\n");
  EXPECT_EQ(ecc.hbm_double_bit, -1);
  EXPECT_EQ(ecc.IsolatedPages(), -1);
}

TEST(HccsTopologyTest, AllHccsOnTheRecordedBox) {
  HccsTopology topo = ReadHccsTopology(ReadText(AccelFixture("ascend/npu-smi-topo-910b.txt")));
  EXPECT_EQ(topo.devices, 8);
  EXPECT_TRUE(topo.AllHccs());
}

TEST(HccsTopologyTest, NamesTheNpuBehindPcie) {
  HccsTopology topo = ReadHccsTopology(Read("npu-smi-topo-pcie.txt"));
  EXPECT_EQ(topo.devices, 8);
  EXPECT_FALSE(topo.AllHccs());
  // Every NPU has the SYS link to NPU3, so all are listed; NPU3 has nothing else.
  ASSERT_FALSE(topo.not_hccs.empty());
  EXPECT_NE(std::find(topo.not_hccs.begin(), topo.not_hccs.end(), 3), topo.not_hccs.end());
}

TEST(HccsTopologyTest, NoMatrix) {
  HccsTopology topo = ReadHccsTopology("npu-smi: unsupported\n");
  EXPECT_EQ(topo.devices, 0);
  EXPECT_FALSE(topo.AllHccs());
}

}  // namespace
}  // namespace hai::hwcheck::ascend
