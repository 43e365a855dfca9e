#include "lib/placement/cluster.h"

#include <gtest/gtest.h>

#include "lib/placement/test_util.h"

namespace hai::placement {
namespace {

using accel::Vendor;
using testing::Card;

TEST(ClusterTest, UsedIsMaxOfClaimedAndMeasured) {
  auto d = Card(Vendor::kNvidia, "H100", 0, 80000);
  DeviceUsage u{30000, 1, false};
  EXPECT_EQ(EffectiveUsedMib(d, u), 30000);  // unmeasured: the ledger alone
  d.memory_used_mib = 20000;                 // engine still loading: claim counts
  EXPECT_EQ(EffectiveUsedMib(d, u), 30000);
  d.memory_used_mib = 45000;  // foreign process on top: measurement counts
  EXPECT_EQ(EffectiveUsedMib(d, u), 45000);
  EXPECT_EQ(FreeMib(d, u), 35000);
}

TEST(ClusterTest, ExclusiveClaimUsesTheWholeCard) {
  auto d = Card(Vendor::kNvidia, "H100", 0, 80000);
  EXPECT_EQ(EffectiveUsedMib(d, DeviceUsage{0, 1, true}), 80000);
  EXPECT_EQ(FreeMib(d, DeviceUsage{0, 1, true}), 0);
  EXPECT_EQ(FreeMib(Card(Vendor::kNvidia, "H100", 0, -1), DeviceUsage{}), -1);
}

TEST(ClusterTest, WholeFreeNeedsNoHolderAndAnIdleCard) {
  auto d = Card(Vendor::kNvidia, "H100", 0, 80000);
  EXPECT_TRUE(WholeFree(d, {}));
  EXPECT_FALSE(WholeFree(d, DeviceUsage{100, 1, false}));
  d.memory_used_mib = kIdleMemoryMib;  // driver context only
  EXPECT_TRUE(WholeFree(d, {}));
  d.memory_used_mib = kIdleMemoryMib + 1;  // someone outside the ledger
  EXPECT_FALSE(WholeFree(d, {}));
}

TEST(ClusterTest, ApplyAndUnapplyAreInverse) {
  ClusterState s = testing::StateOf({testing::AscendNode("n1")});
  Allocation a = testing::Held("n1", {0, 1}, 16384, false);
  a.cpu_cores = 4;
  a.host_memory_mib = 1000;
  s.Apply(a);
  s.Apply(a);
  EXPECT_EQ(s.UsageOf("n1").Device(0).claimed_mib, 32768);
  EXPECT_EQ(s.UsageOf("n1").Device(1).holders, 2);
  EXPECT_EQ(s.UsageOf("n1").cpu_cores, 8);
  s.Unapply(a);
  s.Unapply(a);
  EXPECT_TRUE(s.UsageOf("n1").empty());
}

TEST(ClusterTest, ClaimsSurviveRemovalFromTheView) {
  ClusterState s = testing::StateOf({testing::AscendNode("n1")});
  s.Apply(testing::Held("n1", {0}));
  EXPECT_TRUE(s.RemoveNode("n1"));
  EXPECT_EQ(s.FindNode("n1"), nullptr);
  EXPECT_EQ(s.node_count(), 0u);
  EXPECT_TRUE(s.UsageOf("n1").Device(0).exclusive);
  s.Unapply(testing::Held("n1", {0}));
  EXPECT_TRUE(s.UsageOf("n1").empty());
  EXPECT_FALSE(s.SetState("n1", NodeState::kNotReady));
}

TEST(ClusterTest, SimulatedTelemetryDoesNotTakeCapacity) {
  accel::Device d;
  d.memory_mib = 65536;
  d.memory_used_mib = 40000;  // synthetic dashboard load on a simulated card
  d.simulated = true;
  DeviceUsage none;
  EXPECT_TRUE(WholeFree(d, none));
  EXPECT_EQ(FreeMib(d, none), 65536);
  d.simulated = false;  // the same reading from real hardware does count
  EXPECT_FALSE(WholeFree(d, none));
  EXPECT_EQ(FreeMib(d, none), 65536 - 40000);
}

}  // namespace
}  // namespace hai::placement
