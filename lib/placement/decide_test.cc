#include "lib/placement/decide.h"

#include <gtest/gtest.h>

#include "lib/placement/test_util.h"

namespace hai::placement {
namespace {

using testing::AscendNode;
using testing::Held;
using testing::NvidiaNode;
using testing::SharedRequest;
using testing::StateOf;
using testing::WholeRequest;

Decision MustDecide(const PlacementRequest& r, const ClusterState& s) {
  Result<Decision> d = Decide(r, s);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? *d : Decision{};
}

// The single refusal for `node`.
Refusal ReasonFor(const Decision& d, const std::string& node) {
  for (const Refusal& r : d.reasons)
    if (r.node == node) return r;
  ADD_FAILURE() << "no reason for " << node;
  return {};
}

TEST(DecideTest, InvalidRequestIsAnError) {
  Result<Decision> d = Decide(WholeRequest("cambricon", 1), StateOf({AscendNode("n1")}));
  EXPECT_EQ(d.status().field(), "vendor");
}

TEST(DecideTest, EmptyViewIsARequestLevelRefusal) {
  Decision d = MustDecide(WholeRequest("ascend", 1), ClusterState{});
  EXPECT_FALSE(d.feasible);
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons[0].reason, ReasonCode::kNoNodes);
}

TEST(DecideTest, NodeFiltersNameTheirReason) {
  Node not_ready = AscendNode("a-not-ready");
  not_ready.state = NodeState::kNotReady;
  Node wrong_label = AscendNode("b-label");
  wrong_label.labels["zone"] = "b";
  Node nvidia = NvidiaNode("c-nvidia");
  nvidia.labels["zone"] = "a";
  Node sick = AscendNode("d-sick");
  sick.labels["zone"] = "a";
  for (auto& card : sick.inventory.devices) card.health = accel::Health::kCritical;
  Node small = AscendNode("e-cpu");
  small.labels["zone"] = "a";
  small.inventory.cpu_cores = 2;
  Node ram = AscendNode("f-ram");
  ram.labels["zone"] = "a";
  ram.inventory.memory_mib = 1024;
  PlacementRequest r = WholeRequest("ascend", 1);
  r.node_selector = {{"zone", "a"}};
  r.cpu_cores = 4;
  r.host_memory_mib = 4096;
  Decision d = MustDecide(r, StateOf({not_ready, wrong_label, nvidia, sick, small, ram}));
  EXPECT_FALSE(d.feasible);
  EXPECT_EQ(ReasonFor(d, "a-not-ready").reason, ReasonCode::kNotReady);
  EXPECT_EQ(ReasonFor(d, "b-label").reason, ReasonCode::kLabelMismatch);
  EXPECT_EQ(ReasonFor(d, "b-label").message, "needs zone=a, node has zone=b");
  EXPECT_EQ(ReasonFor(d, "c-nvidia").reason, ReasonCode::kVendorMismatch);
  EXPECT_EQ(ReasonFor(d, "c-nvidia").message, "no ascend devices (node has nvidia H100)");
  EXPECT_EQ(ReasonFor(d, "d-sick").reason, ReasonCode::kUnhealthy);
  EXPECT_EQ(ReasonFor(d, "e-cpu").reason, ReasonCode::kCpu);
  EXPECT_EQ(ReasonFor(d, "e-cpu").message, "needs 4 cores, 2 of 2 free");
  EXPECT_EQ(ReasonFor(d, "f-ram").reason, ReasonCode::kMemory);
  EXPECT_EQ(ReasonName(ReasonCode::kInsufficientDevices), "insufficient_devices");
}

// A cluster is the nodes whose `cluster` label names it; unlabelled nodes
// are the "default" cluster; no cluster asked means any node.
TEST(DecideTest, ClusterPicksNodesByTheirClusterLabel) {
  Node icu = AscendNode("a-icu");
  icu.labels["cluster"] = "icu";
  Node plain = AscendNode("b-plain");
  ClusterState state = StateOf({icu, plain});
  EXPECT_EQ(NodeCluster(icu), "icu");
  EXPECT_EQ(NodeCluster(plain), "default");

  PlacementRequest r = WholeRequest("ascend", 1);
  r.cluster = "icu";
  Decision d = MustDecide(r, state);
  ASSERT_TRUE(d.feasible);
  EXPECT_EQ(d.replicas.at(0).node, "a-icu");

  r.cluster = "default";
  d = MustDecide(r, state);
  ASSERT_TRUE(d.feasible);
  EXPECT_EQ(d.replicas.at(0).node, "b-plain");

  r.cluster = "radiology";
  d = MustDecide(r, state);
  EXPECT_FALSE(d.feasible);
  EXPECT_EQ(ReasonFor(d, "a-icu").reason, ReasonCode::kLabelMismatch);
  EXPECT_EQ(ReasonFor(d, "a-icu").message, "in cluster icu, not radiology");
  EXPECT_EQ(ReasonFor(d, "b-plain").message, "in cluster default, not radiology");

  r.cluster.clear();
  r.replicas = 2;
  r.node_policy = Policy::kSpread;
  d = MustDecide(r, state);
  ASSERT_TRUE(d.feasible);
  EXPECT_NE(d.replicas.at(0).node, d.replicas.at(1).node);
}

TEST(DecideTest, ModelFilterIsAVendorMismatch) {
  PlacementRequest r = WholeRequest("", 1);
  r.model = "H100";
  Decision d = MustDecide(r, StateOf({AscendNode("n1")}));
  EXPECT_EQ(ReasonFor(d, "n1").reason, ReasonCode::kVendorMismatch);
}

TEST(DecideTest, InsufficientDevicesCountsFreeCards) {
  ClusterState s = StateOf({AscendNode("n1")});
  s.Apply(Held("n1", {0, 1, 2, 3, 4}));
  Decision d = MustDecide(WholeRequest("ascend", 4), s);
  EXPECT_EQ(ReasonFor(d, "n1").reason, ReasonCode::kInsufficientDevices);
  EXPECT_EQ(ReasonFor(d, "n1").message, "3 free Ascend910B3, need 4");
}

TEST(DecideTest, TopologyRefusalSaysWhatFitsInOneGroup) {
  ClusterState s = StateOf({AscendNode("n1")});
  s.Apply(Held("n1", {0}));
  s.Apply(Held("n1", {4}));
  Decision d = MustDecide(WholeRequest("ascend", 4, Topology::kSameGroup), s);
  EXPECT_EQ(ReasonFor(d, "n1").reason, ReasonCode::kTopology);
  EXPECT_EQ(ReasonFor(d, "n1").message, "3 free Ascend910B3 in one HCCS group, need 4");
  d = MustDecide(WholeRequest("ascend", 4, Topology::kSameNuma), s);
  EXPECT_EQ(ReasonFor(d, "n1").message, "3 free Ascend910B3 on one NUMA node, need 4");
  d = MustDecide(WholeRequest("ascend", 4, Topology::kAny), s);
  EXPECT_TRUE(d.feasible);
}

TEST(DecideTest, MemoryAboveAnyCardIsARefusalNotAnError) {
  PlacementRequest r = WholeRequest("nvidia", 1);
  r.memory_mib = 100000;
  Decision d = MustDecide(r, StateOf({NvidiaNode("n1")}));
  EXPECT_FALSE(d.feasible);
  EXPECT_EQ(ReasonFor(d, "n1").reason, ReasonCode::kInsufficientMemory);
  EXPECT_EQ(ReasonFor(d, "n1").message,
            "0 H100 with >= 100000 MiB, need 1 (largest has 81559 MiB)");
}

TEST(DecideTest, MeasuredMemoryBlocksSlicesAndWholeCards) {
  Node n = NvidiaNode("n1");
  for (auto& card : n.inventory.devices) card.memory_used_mib = 30000;  // outside the ledger
  ClusterState s = StateOf({n});
  Decision d = MustDecide(SharedRequest("nvidia", 60000), s);
  EXPECT_EQ(ReasonFor(d, "n1").reason, ReasonCode::kInsufficientMemory);
  EXPECT_EQ(ReasonFor(d, "n1").message, "0 H100 with 60000 MiB free, need 1");
  EXPECT_TRUE(MustDecide(SharedRequest("nvidia", 50000), s).feasible);
  d = MustDecide(WholeRequest("nvidia", 1), s);
  EXPECT_EQ(ReasonFor(d, "n1").reason, ReasonCode::kInsufficientDevices);
}

TEST(DecideTest, SameGroupBinpackKeepsTheWholeGroupFree) {
  ClusterState s = StateOf({AscendNode("n1")});
  s.Apply(Held("n1", {0}));
  Decision d = MustDecide(WholeRequest("ascend", 2, Topology::kSameGroup), s);
  ASSERT_TRUE(d.feasible);
  EXPECT_EQ(d.replicas[0].device_indices, (std::vector<int>{1, 2}));
  d = MustDecide(WholeRequest("ascend", 1), s);  // single card: from the broken group too
  EXPECT_EQ(d.replicas[0].device_indices, (std::vector<int>{1}));
}

TEST(DecideTest, AnyTopologyStillPrefersOneGroup) {
  ClusterState s = StateOf({AscendNode("n1")});
  s.Apply(Held("n1", {0}));
  Decision d = MustDecide(WholeRequest("ascend", 4), s);
  EXPECT_EQ(d.replicas[0].device_indices, (std::vector<int>{4, 5, 6, 7}));
  d = MustDecide(WholeRequest("ascend", 6), s);  // must cross: largest group first
  EXPECT_EQ(d.replicas[0].device_indices, (std::vector<int>{1, 2, 4, 5, 6, 7}));
}

TEST(DecideTest, DevicePolicyBinpackStacksSpreadSpreads) {
  ClusterState s = StateOf({NvidiaNode("n1")});
  s.Apply(Held("n1", {2}, 40000, false));
  PlacementRequest r = SharedRequest("nvidia", 10000);
  r.device_policy = Policy::kBinpack;
  EXPECT_EQ(MustDecide(r, s).replicas[0].device_indices, (std::vector<int>{2}));
  r.device_policy = Policy::kSpread;
  EXPECT_EQ(MustDecide(r, s).replicas[0].device_indices, (std::vector<int>{0}));
}

TEST(DecideTest, NodePolicyBinpackFillsSpreadSpreads) {
  ClusterState s = StateOf({NvidiaNode("n1"), NvidiaNode("n2")});
  s.Apply(Held("n2", {0}, 81559));
  PlacementRequest r = WholeRequest("nvidia", 1);
  EXPECT_EQ(MustDecide(r, s).replicas[0].node, "n2");
  r.node_policy = Policy::kSpread;
  EXPECT_EQ(MustDecide(r, s).replicas[0].node, "n1");
  r.node_policy = Policy::kFirstFit;
  r.device_policy = Policy::kFirstFit;
  Decision d = MustDecide(r, s);
  EXPECT_EQ(d.replicas[0].node, "n1");
  EXPECT_EQ(d.replicas[0].device_indices, (std::vector<int>{0}));
}

TEST(DecideTest, AscendSliceIsRoundedVisibly) {
  Decision d = MustDecide(SharedRequest("ascend", 1000), StateOf({AscendNode("n1")}));
  ASSERT_TRUE(d.feasible);
  EXPECT_EQ(d.replicas[0].memory_mib, 16384);
  EXPECT_FALSE(d.replicas[0].exclusive);
}

TEST(DecideTest, GangUsesDistinctNodesOrNothing) {
  ClusterState s = StateOf({AscendNode("n1"), AscendNode("n2"), AscendNode("n3")});
  PlacementRequest r = WholeRequest("ascend", 8);
  r.replicas = 3;
  r.gang = true;
  Decision d = MustDecide(r, s);
  ASSERT_TRUE(d.feasible);
  ASSERT_EQ(d.replicas.size(), 3u);
  EXPECT_NE(d.replicas[0].node, d.replicas[1].node);
  EXPECT_NE(d.replicas[1].node, d.replicas[2].node);
  EXPECT_NE(d.replicas[0].node, d.replicas[2].node);
  s.Apply(Held("n2", {7}));
  d = MustDecide(r, s);
  EXPECT_FALSE(d.feasible);
  EXPECT_TRUE(d.replicas.empty());
  EXPECT_EQ(ReasonFor(d, "n2").reason, ReasonCode::kInsufficientDevices);
  EXPECT_EQ(ReasonFor(d, "").reason, ReasonCode::kGang);
}

TEST(DecideTest, PlainReplicasShareNodesAndMayBePartial) {
  ClusterState s = StateOf({AscendNode("n1")});
  PlacementRequest r = WholeRequest("ascend", 4, Topology::kSameGroup);
  r.replicas = 3;
  Decision d = MustDecide(r, s);
  EXPECT_FALSE(d.feasible);
  ASSERT_EQ(d.replicas.size(), 2u);
  EXPECT_EQ(d.replicas[0].device_indices, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(d.replicas[1].device_indices, (std::vector<int>{4, 5, 6, 7}));
  EXPECT_EQ(d.replicas[1].replica, 1);
  EXPECT_EQ(ReasonFor(d, "n1").reason, ReasonCode::kInsufficientDevices);
}

TEST(DecideTest, EnvComesFromTheCallback) {
  ClusterState s = StateOf({AscendNode("n1")});
  s.Apply(Held("n1", {0, 1, 2, 3}));
  Decision d = MustDecide(WholeRequest("ascend", 2), s);
  EXPECT_EQ(d.replicas[0].env.at("ASCEND_RT_VISIBLE_DEVICES"), "4,5");
  auto custom = [](accel::Vendor v, const std::vector<int>& idx) {
    return EnvVars{{"X", std::string(accel::VendorName(v)) + std::to_string(idx.size())}};
  };
  Result<Decision> c = Decide(WholeRequest("ascend", 2), s, custom);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->replicas[0].env.at("X"), "ascend2");
}

TEST(DecideTest, CpuOnlyTakesNoDevices) {
  PlacementRequest r;
  r.vendor = "cpu";
  r.devices_per_replica = 0;
  r.cpu_cores = 8;
  Decision d = MustDecide(r, StateOf({AscendNode("n1")}));
  ASSERT_TRUE(d.feasible);
  EXPECT_TRUE(d.replicas[0].device_indices.empty());
  EXPECT_TRUE(d.replicas[0].env.empty());
  EXPECT_EQ(d.replicas[0].cpu_cores, 8);
}

TEST(DecideTest, ReplicaNeverMixesModels) {
  Node n = testing::MakeNode("n1", {testing::Card(accel::Vendor::kNvidia, "H100", 0, 81559, "nv"),
                                    testing::Card(accel::Vendor::kNvidia, "A100", 1, 81920, "nv")});
  Decision d = MustDecide(WholeRequest("nvidia", 2), StateOf({n}));
  EXPECT_FALSE(d.feasible);
  EXPECT_EQ(ReasonFor(d, "n1").reason, ReasonCode::kInsufficientDevices);
  EXPECT_EQ(ReasonFor(d, "n1").message, "1 healthy H100, need 2");
}

}  // namespace
}  // namespace hai::placement
