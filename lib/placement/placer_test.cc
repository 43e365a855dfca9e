#include "lib/placement/placer.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "lib/placement/test_util.h"

namespace hai::placement {
namespace {

using testing::AscendNode;
using testing::WholeRequest;

// A ledger whose commits fail, as SQLite would on a full disk.
class FailingLedger final : public Ledger {
 public:
  Result<std::vector<Allocation>> Commit(std::vector<Allocation>) override {
    return Status::Unavailable("disk full");
  }
  Result<std::vector<Allocation>> RemoveHolder(const std::string&) override {
    return std::vector<Allocation>{};
  }
  Result<std::vector<Allocation>> RemoveNode(const std::string&) override {
    return std::vector<Allocation>{};
  }
  Result<std::vector<Allocation>> List() const override { return std::vector<Allocation>{}; }
};

class PlacerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    placer_.UpsertNode(AscendNode("n1"));
    placer_.UpsertNode(AscendNode("n2"));
  }
  Decision MustPlace(const PlacementRequest& r) {
    Result<Decision> d = placer_.Place(r);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : Decision{};
  }
  size_t LedgerSize() { return ledger_.List()->size(); }

  InMemoryLedger ledger_;
  Placer placer_{ledger_};
};

TEST_F(PlacerTest, BindCommitsToTheLedgerAndBlocksTheCards) {
  Decision d = MustPlace(WholeRequest("ascend", 8));
  Result<std::vector<Allocation>> stored = placer_.Bind(d, "h1", 1000);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_FALSE((*stored)[0].id.empty());
  EXPECT_EQ((*stored)[0].since_ms, 1000);
  EXPECT_EQ((*stored)[0].holder, "h1");
  EXPECT_TRUE(placer_.UsageOf(d.replicas[0].node).Device(3).exclusive);
  Decision next = MustPlace(WholeRequest("ascend", 8));
  ASSERT_TRUE(next.feasible);
  EXPECT_NE(next.replicas[0].node, d.replicas[0].node);
}

TEST_F(PlacerTest, StaleDecisionIsRefusedAndLeavesNoTrace) {
  PlacementRequest r = WholeRequest("ascend", 4, Topology::kSameGroup);
  Decision first = MustPlace(r), second = MustPlace(r);
  ASSERT_EQ(first.replicas[0].device_indices, second.replicas[0].device_indices);
  ASSERT_TRUE(placer_.Bind(first, "h1", 1).ok());
  Result<std::vector<Allocation>> again = placer_.Bind(second, "h2", 2);
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(LedgerSize(), 1u);
}

TEST_F(PlacerTest, GangBindIsAllOrNothing) {
  PlacementRequest gang = WholeRequest("ascend", 8);
  gang.replicas = 2;
  gang.gang = true;
  Decision d = MustPlace(gang);
  ASSERT_TRUE(d.feasible);
  // Someone takes one card on the second node in between.
  Decision thief;
  thief.feasible = true;
  thief.replicas.push_back(
      {0, d.replicas[1].node, accel::Vendor::kAscend, "Ascend910B3", {7}, 65536, true});
  ASSERT_TRUE(placer_.Bind(thief, "thief", 1).ok());
  EXPECT_EQ(placer_.Bind(d, "gang", 2).status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(placer_.UsageOf(d.replicas[0].node).empty());  // first replica rolled back
  EXPECT_EQ(LedgerSize(), 1u);
}

TEST_F(PlacerTest, BindRefusesNothingToBind) {
  PlacementRequest gang = WholeRequest("ascend", 8);
  gang.replicas = 3;
  gang.gang = true;
  Decision d = MustPlace(gang);
  EXPECT_FALSE(d.feasible);
  EXPECT_EQ(placer_.Bind(d, "h", 1).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(placer_.Bind(MustPlace(WholeRequest("ascend", 1)), "", 1).status().field(), "holder");
}

TEST_F(PlacerTest, ReleaseFreesAndIsIdempotent) {
  ASSERT_TRUE(placer_.PlaceAndBind(WholeRequest("ascend", 8), "h1", 1).ok());
  ASSERT_TRUE(placer_.PlaceAndBind(WholeRequest("ascend", 8), "h1", 1).ok());
  EXPECT_FALSE(MustPlace(WholeRequest("ascend", 1)).feasible);
  Result<std::vector<Allocation>> freed = placer_.Release("h1");
  ASSERT_TRUE(freed.ok());
  EXPECT_EQ(freed->size(), 2u);
  EXPECT_TRUE(placer_.Release("h1")->empty());
  EXPECT_TRUE(MustPlace(WholeRequest("ascend", 8)).feasible);
}

TEST_F(PlacerTest, ReleaseNodeReturnsTheHoldersThatLostWork) {
  PlacementRequest four = WholeRequest("ascend", 4, Topology::kSameGroup);
  four.node_policy = Policy::kFirstFit;
  ASSERT_TRUE(placer_.PlaceAndBind(four, "h1", 1).ok());
  ASSERT_TRUE(placer_.PlaceAndBind(four, "h2", 1).ok());
  ASSERT_TRUE(placer_.PlaceAndBind(four, "h3", 1).ok());  // n1 full: goes to n2
  Result<std::vector<std::string>> lost = placer_.ReleaseNode("n1");
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(*lost, (std::vector<std::string>{"h1", "h2"}));
  EXPECT_EQ(LedgerSize(), 1u);
  Decision d = MustPlace(WholeRequest("ascend", 8));
  EXPECT_FALSE(d.feasible);  // n1 is NotReady, n2 half used
  ASSERT_TRUE(placer_.SetNodeState("n1", NodeState::kReady).ok());
  EXPECT_TRUE(MustPlace(WholeRequest("ascend", 8)).feasible);
}

TEST_F(PlacerTest, LoadRebuildsClaimsFromTheLedger) {
  ASSERT_TRUE(placer_.PlaceAndBind(WholeRequest("ascend", 8), "h1", 1).ok());
  Placer restarted(ledger_);
  restarted.UpsertNode(AscendNode("n1"));
  restarted.UpsertNode(AscendNode("n2"));
  ASSERT_TRUE(restarted.Load().ok());
  PlacementRequest r = WholeRequest("ascend", 8);
  r.replicas = 2;
  EXPECT_FALSE(restarted.Place(r)->feasible);
  EXPECT_EQ(restarted.Place(r)->replicas.size(), 1u);
}

TEST_F(PlacerTest, LedgerFailureRollsTheIndexBack) {
  FailingLedger failing;
  Placer p(failing);
  p.UpsertNode(AscendNode("n1"));
  Result<Decision> d = p.PlaceAndBind(WholeRequest("ascend", 2), "h1", 1);
  EXPECT_EQ(d.status().code(), Code::kUnavailable);
  EXPECT_TRUE(p.UsageOf("n1").empty());
}

TEST_F(PlacerTest, ViewUpdatesReportUnknownNodes) {
  EXPECT_EQ(placer_.SetNodeState("nope", NodeState::kReady).code(), Code::kNotFound);
  EXPECT_TRUE(placer_.RemoveNode("n2").ok());
  EXPECT_EQ(placer_.RemoveNode("n2").code(), Code::kNotFound);
}

// Several threads place, bind and release at once; the ledger must never hold
// a double booking and the index must match the ledger afterwards.
TEST(PlacerConcurrencyTest, ManyThreadsNeverDoubleBook) {
  InMemoryLedger ledger;
  Placer placer(ledger);
  std::vector<Node> nodes;
  for (int i = 0; i < 4; ++i) nodes.push_back(AscendNode("n" + std::to_string(i)));
  nodes.push_back(testing::NvidiaNode("g0"));
  for (const Node& n : nodes) placer.UpsertNode(n);
  constexpr int kThreads = 4, kOps = 150;
  std::atomic<int> bound{0}, stale{0};
  auto worker = [&](int t) {
    std::mt19937 rng(1234 + t);
    for (int op = 0; op < kOps; ++op) {
      std::string holder = "t" + std::to_string(t) + "-" + std::to_string(rng() % 6);
      PlacementRequest r = WholeRequest(rng() % 2 ? "ascend" : "", 1 + rng() % 4);
      if (rng() % 3 == 0) r = testing::SharedRequest("nvidia", 1000 + rng() % 30000);
      switch (rng() % 3) {
        case 0: {
          Result<Decision> d = placer.Place(r);
          if (d.ok() && !d->replicas.empty()) {
            Result<std::vector<Allocation>> s = placer.Bind(*d, holder, op);
            (s.ok() ? bound : stale)++;
          }
          break;
        }
        case 1:
          if (placer.PlaceAndBind(r, holder, op).ok()) bound++;
          break;
        default:
          (void)placer.Release(holder);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (std::thread& th : threads) th.join();
  std::vector<Allocation> all = *ledger.List();
  EXPECT_EQ(testing::DoubleBooking(all, nodes), "");
  EXPECT_GT(bound.load(), 0);
  ClusterState rebuilt;
  for (const Allocation& a : all) rebuilt.Apply(a);
  for (const Node& n : nodes)
    for (const accel::Device& d : n.inventory.devices) {
      EXPECT_EQ(placer.UsageOf(n.name).Device(d.index).claimed_mib,
                rebuilt.UsageOf(n.name).Device(d.index).claimed_mib);
      EXPECT_EQ(placer.UsageOf(n.name).Device(d.index).holders,
                rebuilt.UsageOf(n.name).Device(d.index).holders);
    }
}

}  // namespace
}  // namespace hai::placement
