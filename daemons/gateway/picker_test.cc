#include "daemons/gateway/picker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace hai::gateway {
namespace {

cluster::RouteDeployment Deployment(int64_t id, int64_t weight, std::vector<int64_t> replicas) {
  cluster::RouteDeployment d{id, weight, "active", {}};
  for (int64_t r : replicas)
    d.replicas.push_back({r, "http://127.0.0.1:" + std::to_string(20000 + r), "node-1"});
  return d;
}

cluster::RoutingTable Table(std::vector<cluster::RouteDeployment> deployments) {
  cluster::RoutingTable t;
  t.version = 1;
  t.services.push_back({1, "ward-chat", 7, "text-generation", std::move(deployments)});
  return t;
}

class PickerTest : public ::testing::Test {
 protected:
  Picker picker_{std::make_unique<LeastOutstandingScorer>(), 42};
  RouteMap routes_;

  const RoutedService& Service() {
    snapshot_ = routes_.Snapshot();
    return *snapshot_->Find("ward-chat");
  }
  std::optional<Pick> Choose(const std::set<int64_t>& tried = {}) {
    return picker_.Choose(Service(), tried, "{}");
  }
  std::shared_ptr<ReplicaState> Replica(int64_t id) {
    for (const auto& r : routes_.Replicas())
      if (r->id() == id) return r;
    return nullptr;
  }

  std::shared_ptr<const RouteSnapshot> snapshot_;
};

// A 90/10 canary over N picks lands within five standard deviations of 10%
// (binomial: sd = sqrt(N·p·(1−p))); the seed is fixed, so the test cannot flake.
TEST_F(PickerTest, DeploymentsShareTrafficByWeight) {
  routes_.Update(Table({Deployment(1, 90, {11, 12}), Deployment(2, 10, {21})}));
  constexpr int kPicks = 20000;
  std::map<int64_t, int> by_deployment;
  for (int i = 0; i < kPicks; ++i) by_deployment[Choose()->deployment_id]++;
  const double expected = kPicks * 0.1;
  const double sd = std::sqrt(kPicks * 0.1 * 0.9);
  EXPECT_NEAR(by_deployment[2], expected, 5 * sd);
  EXPECT_EQ(by_deployment[1] + by_deployment[2], kPicks);

  routes_.Update(Table({Deployment(1, 50, {11}), Deployment(2, 50, {21})}));
  by_deployment.clear();
  for (int i = 0; i < kPicks; ++i) by_deployment[Choose()->deployment_id]++;
  EXPECT_NEAR(by_deployment[2], kPicks * 0.5, 5 * std::sqrt(kPicks * 0.25));
}

TEST_F(PickerTest, WeightZeroTakesNoTraffic) {
  routes_.Update(Table({Deployment(1, 100, {11}), Deployment(2, 0, {21})}));
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(Choose()->deployment_id, 1);
  // Not even when the weighted one has nothing left to try.
  EXPECT_FALSE(Choose({11}));
  routes_.Update(Table({Deployment(1, 0, {11}), Deployment(2, 0, {21})}));
  EXPECT_FALSE(Choose());
}

TEST_F(PickerTest, ADeploymentWithoutReplicasLeavesItsShareToTheOthers) {
  routes_.Update(Table({Deployment(1, 10, {11}), Deployment(2, 90, {})}));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(Choose()->deployment_id, 1);
}

// Names match as the database keeps them unique: without ASCII case.
TEST_F(PickerTest, ServiceNamesMatchWithoutCase) {
  routes_.Update(Table({Deployment(1, 100, {11})}));
  auto snapshot = routes_.Snapshot();
  ASSERT_NE(snapshot->Find("Ward-Chat"), nullptr);
  EXPECT_EQ(snapshot->Find("WARD-CHAT")->name, "ward-chat");
  EXPECT_EQ(snapshot->Find("ward-chat2"), nullptr);
  EXPECT_EQ(snapshot->Find("ward"), nullptr);
}

TEST_F(PickerTest, LeastOutstandingReplicaWinsAndTiesSpread) {
  routes_.Update(Table({Deployment(1, 100, {11, 12, 13})}));
  std::map<int64_t, int> seen;
  for (int i = 0; i < 300; ++i) seen[Choose()->replica->id()]++;
  EXPECT_EQ(seen.size(), 3u) << "idle replicas share the work";
  for (const auto& [id, n] : seen) EXPECT_GT(n, 50) << id;

  InFlight busy11(Replica(11).get()), busy12a(Replica(12).get()), busy12b(Replica(12).get());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(Choose()->replica->id(), 13);
  InFlight busy13a(Replica(13).get()), busy13b(Replica(13).get());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(Choose()->replica->id(), 11);
}

TEST_F(PickerTest, TriedAndEjectedReplicasAreSkippedUntilNothingElseIsLeft) {
  routes_.Update(Table({Deployment(1, 100, {11, 12, 13})}));
  EXPECT_EQ(Choose({11, 12})->replica->id(), 13);
  EXPECT_FALSE(Choose({11, 12, 13}));
  Replica(11)->Eject(0, 1000, 1000);
  Replica(12)->Eject(0, 1000, 1000);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(Choose()->replica->id(), 13);
  // Every replica left is ejected: one of them is tried rather than none.
  Replica(13)->Eject(0, 1000, 1000);
  auto pick = Choose({13});
  ASSERT_TRUE(pick);
  EXPECT_NE(pick->replica->id(), 13);
}

TEST_F(PickerTest, ReplicaStateOutlivesANewTable) {
  routes_.Update(Table({Deployment(1, 100, {11, 12})}));
  auto eleven = Replica(11);
  eleven->Eject(0, 1000, 1000);
  InFlight busy(eleven.get());
  routes_.Update(Table({Deployment(1, 50, {11, 12}), Deployment(2, 50, {21})}));
  EXPECT_EQ(Replica(11), eleven);
  EXPECT_TRUE(Replica(11)->ejected());
  EXPECT_EQ(Replica(11)->outstanding(), 1);
  // A replica that moved to another address is another replica.
  auto table = Table({Deployment(1, 100, {11, 12})});
  table.services[0].deployments[0].replicas[0].address = "http://127.0.0.1:29999";
  routes_.Update(table);
  EXPECT_NE(Replica(11), eleven);
  EXPECT_FALSE(Replica(11)->ejected());
  // Replicas no table names any more are forgotten; bad addresses are left out.
  table = Table({Deployment(1, 100, {12})});
  table.services[0].deployments[0].replicas.push_back({13, "10.0.0.1:21000", "node-2"});
  routes_.Update(table);
  EXPECT_EQ(routes_.Replicas().size(), 1u);
  EXPECT_EQ(Service().deployments[0].replicas.size(), 1u);
}

}  // namespace
}  // namespace hai::gateway
