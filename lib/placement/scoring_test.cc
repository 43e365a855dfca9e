#include "lib/placement/scoring.h"

#include <gtest/gtest.h>

namespace hai::placement {
namespace {

// Two linked groups of 4 cards each; group 0 has 3 whole-free cards, group 1 has 4.
std::vector<GroupStats> TwoGroups() { return {{4, 3, true}, {4, 4, true}}; }

DeviceCandidate C(int group, int64_t used_after, bool whole_free, int64_t total = 100) {
  return {nullptr, group, total, used_after, whole_free};
}

TEST(ScoringTest, PairScoreCountsLinkedPairs) {
  auto g = TwoGroups();
  auto a = C(0, 100, true), b = C(0, 100, true), c = C(1, 100, true), d = C(1, 100, true);
  EXPECT_DOUBLE_EQ(PairScore({&a}, g), 1.0);
  EXPECT_DOUBLE_EQ(PairScore({&a, &b}, g), 1.0);
  EXPECT_DOUBLE_EQ(PairScore({&a, &b, &c, &d}, g), 2.0 / 6.0);
  std::vector<GroupStats> unlinked = {{1, 1, false}};
  auto e = C(0, 100, true);
  EXPECT_DOUBLE_EQ(PairScore({&e, &e}, unlinked), 0.0);  // no group: never linked
}

TEST(ScoringTest, UsageTermFlipsForSpread) {
  auto a = C(0, 75, false), b = C(0, 25, false);
  EXPECT_DOUBLE_EQ(UsageTerm({&a, &b}, Policy::kBinpack), 0.5);
  EXPECT_DOUBLE_EQ(UsageTerm({&a}, Policy::kBinpack), 0.75);
  EXPECT_DOUBLE_EQ(UsageTerm({&a}, Policy::kSpread), 0.25);
  auto unknown = C(0, 0, true, 0);
  EXPECT_DOUBLE_EQ(UsageAfter(unknown), 1.0);
}

TEST(ScoringTest, FragmentationPrefersBestFitGroup) {
  auto g = TwoGroups();
  auto in_used_group = C(0, 100, true), in_free_group = C(1, 100, true);
  // Taking one whole-free card leaves 2/4 free in group 0 but 3/4 in group 1.
  EXPECT_DOUBLE_EQ(FragmentationTerm({&in_used_group}, g), 0.5);
  EXPECT_DOUBLE_EQ(FragmentationTerm({&in_free_group}, g), 0.25);
  // A slice on an already used card breaks nothing.
  auto shared_card = C(0, 60, false);
  EXPECT_DOUBLE_EQ(FragmentationTerm({&shared_card}, g), 1.0);
  // Emptying a group completely costs nothing either.
  std::vector<GroupStats> one = {{2, 2, true}};
  auto x = C(0, 100, true), y = C(0, 100, true);
  EXPECT_DOUBLE_EQ(FragmentationTerm({&x, &y}, one), 1.0);
}

TEST(ScoringTest, DeviceSetScoreWeightsThreeTwoOne) {
  auto g = TwoGroups();
  auto a = C(0, 100, true);
  // T = 1, U = 1, F = 0.5  ->  100 (3 + 2 + 0.5) / 6
  EXPECT_DOUBLE_EQ(DeviceSetScore({&a}, g, Policy::kBinpack), 100.0 * 5.5 / 6.0);
  // Spread: U = 0
  EXPECT_DOUBLE_EQ(DeviceSetScore({&a}, g, Policy::kSpread), 100.0 * 3.5 / 6.0);
  EXPECT_DOUBLE_EQ(DeviceSetScore({&a}, g, Policy::kFirstFit), 0.0);
}

TEST(ScoringTest, NodeScoreIsAfterPlacementUtilisation) {
  NodeLoad l;
  l.cards = 8;
  l.cards_held_after = 4;
  l.card_mib = 800;
  l.card_used_after_mib = 200;
  EXPECT_DOUBLE_EQ(NodeScore(l, Policy::kBinpack), 100.0 * (0.5 + 0.25) / 2);
  EXPECT_DOUBLE_EQ(NodeScore(l, Policy::kSpread), 100.0 - 100.0 * (0.5 + 0.25) / 2);
  l.count_cpu = true;
  l.cpu_cores = 10;
  l.cpu_used_after = 10;
  EXPECT_DOUBLE_EQ(NodeScore(l, Policy::kBinpack), 100.0 * (0.5 + 0.25 + 1.0) / 3);
  EXPECT_DOUBLE_EQ(NodeScore(NodeLoad{}, Policy::kBinpack), 0.0);
}

}  // namespace
}  // namespace hai::placement
