#include "lib/placement/memory_rules.h"

#include <gtest/gtest.h>

#include "lib/placement/test_util.h"

namespace hai::placement {
namespace {

using accel::Vendor;
using testing::Card;

TEST(MemoryRulesTest, Ascend910B3RoundsUpToVnpuTemplates) {
  auto d = Card(Vendor::kAscend, "Ascend910B3", 0, 65536);
  EXPECT_EQ(RoundSliceMib(d, 1000), 16384);
  EXPECT_EQ(RoundSliceMib(d, 16384), 16384);
  EXPECT_EQ(RoundSliceMib(d, 20000), 32768);
  EXPECT_EQ(RoundSliceMib(d, 40000), 65536);  // above the largest template: whole card
}

TEST(MemoryRulesTest, Ascend910B2HasAnEightGigTemplate) {
  EXPECT_EQ(RoundSliceMib(Card(Vendor::kAscend, "Ascend910B2", 0, 65536), 5000), 8192);
}

TEST(MemoryRulesTest, AscendWithoutTemplatesTakesTheWholeCard) {
  EXPECT_EQ(RoundSliceMib(Card(Vendor::kAscend, "Ascend910B4", 0, 32768), 1000), 32768);
}

TEST(MemoryRulesTest, MooreThreadsUses512MiBUnits) {
  auto d = Card(Vendor::kMthreads, "S4000", 0, 49152);
  EXPECT_EQ(RoundSliceMib(d, 512), 512);
  EXPECT_EQ(RoundSliceMib(d, 513), 1024);
  EXPECT_EQ(RoundSliceMib(d, 1000), 1024);
}

TEST(MemoryRulesTest, OthersUseMiBAndCapAtTheCard) {
  auto d = Card(Vendor::kNvidia, "H100", 0, 81559);
  EXPECT_EQ(RoundSliceMib(d, 1001), 1001);
  EXPECT_EQ(RoundSliceMib(d, 90000), 81559);
  EXPECT_EQ(RoundSliceMib(Card(Vendor::kHygon, "K100_AI", 0, 65520), 7), 7);
}

TEST(MemoryRulesTest, UnknownCardSizeCannotBeSliced) {
  EXPECT_EQ(RoundSliceMib(Card(Vendor::kNvidia, "H100", 0, -1), 1000), -1);
}

TEST(MemoryRulesTest, EveryVendorHasARule) {
  for (Vendor v : accel::AllVendors()) EXPECT_EQ(SliceRuleFor(v, "anything").vendor, v);
}

}  // namespace
}  // namespace hai::placement
