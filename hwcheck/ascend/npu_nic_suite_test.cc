// The NPU RoCE port suite on a recorded node; the r4 peer is a test double
// standing in for StartPeerRoceServer (hwcheck/host/peer_control.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hwcheck/ascend/ascend_node_fake.h"
#include "hwcheck/ascend/suite_seams.h"
#include "hwcheck/baseline.h"

namespace hai::hwcheck::ascend {
namespace {

using testing::CountWithPrefix;
using ::testing::ElementsAre;
using testing::Fact;
using testing::FakeAscendNode;
using testing::Find;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::NotPassing;

// A peer that must not be asked (r1 runs, no-peer runs).
Status NoPeer(const Peer&, const std::string&, int, std::chrono::seconds) {
  ADD_FAILURE() << "the peer was asked to start a RoCE server";
  return Status::Internal("unexpected");
}

Peer PeerN2() {
  Peer peer;
  peer.name = "n2";
  peer.address = "127.0.0.2";
  for (int i = 0; i < FakeAscendNode::kNpus; ++i)
    peer.npu_addresses.push_back("192.168.100." + std::to_string(20 + i));
  return peer;
}

std::vector<std::string> RoceClient(const FakeAscendNode& node, int device,
                                    const std::string& address) {
  return {node.ctx().hccn_tool,
          "-i",
          std::to_string(device),
          "-roce_test",
          "ib_write_bw",
          "-s",
          "1048576",
          "-D",
          "10",
          "-report_gbits",
          "address",
          address};
}

TEST(NpuNicSuiteTest, HealthyPortsPass) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.AddHealthyHccnTools();
  Findings f;
  RunNpuNicChecksWith(node.ctx(), NoPeer, &f);
  EXPECT_THAT(NotPassing(f), ElementsAre());
  EXPECT_EQ(f.items.size(), 8u * 8 + 1);
  EXPECT_EQ(Find(f, "npu_nic.link.0")->value, "UP (192.168.100.10/255.255.255.0)");
  EXPECT_EQ(Find(f, "npu_nic.speed.7")->number, 200000);
  EXPECT_EQ(Find(f, "npu_nic.ber.3")->value, "1.68e-10");
  EXPECT_EQ(Find(f, "npu_nic.link_flaps.2")->number, 2);
  EXPECT_EQ(Find(f, "npu_nic.tls")->value, "disable");
  EXPECT_EQ(Find(f, "npu_nic.tls")->evidence.size(), 0u);  // evidence store keeps nothing here
  EXPECT_EQ(Fact(f, "npu_nic.tls"), "disable");
  for (const CheckItem& item : f.items) EXPECT_EQ(item.category, "npu_nic") << item.id;
}

TEST(NpuNicSuiteTest, SickPortsGiveExactlyTheExpectedVerdicts) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.AddHealthyHccnTools();
  node.Hccn(3, "-link", "hccn-link-down.txt");
  node.Hccn(3, "-speed", "hccn-speed-unknown.txt");
  node.Hccn(3, "-net_health", "hccn-net-health-socket-fail.txt");
  node.Hccn(4, "-optical", "hccn-optical-los.txt");
  node.Hccn(5, "-stat_extra", "hccn-stat-extra-uncorrect.txt");
  node.Hccn(6, "-tls", "hccn-tls-enable.txt");
  node.runner().AddOutput(node.HccnArgv(1, "-fec"), "fec mode: no FEC mode\n");
  Findings f;
  RunNpuNicChecksWith(node.ctx(), NoPeer, &f);
  EXPECT_THAT(NotPassing(f),
              ElementsAre("npu_nic.fec.1 FAIL", "npu_nic.link.3 FAIL", "npu_nic.speed.3 FAIL",
                          "npu_nic.net_health.3 FAIL", "npu_nic.optical.4 FAIL",
                          "npu_nic.cw_uncorrect.5 FAIL", "npu_nic.tls FAIL"));
  EXPECT_THAT(Find(f, "npu_nic.speed.3")->reason, HasSubstr("Unknown!"));
  EXPECT_EQ(Find(f, "npu_nic.net_health.3")->value, "Socket fail");
  EXPECT_THAT(Find(f, "npu_nic.optical.4")->reason, HasSubstr("Rx Los Flag 0x1"));
  EXPECT_EQ(Find(f, "npu_nic.tls")->value, "disable on NPU 0,1,2,3,4,5,7; enable on NPU 6");
  EXPECT_EQ(Fact(f, "npu_nic.tls"), "");
}

TEST(NpuNicSuiteTest, MissingHccnToolSkips) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();  // npu-smi answers, hccn_tool does not exist
  Findings f;
  RunNpuNicChecksWith(node.ctx(), NoPeer, &f);
  ASSERT_EQ(f.items.size(), 8u * 8 + 1);
  for (const CheckItem& item : f.items) {
    EXPECT_EQ(item.status, Verdict::kSkip) << item.id;
    EXPECT_THAT(item.reason, HasSubstr("hccn_tool not found")) << item.id;
  }
}

TEST(NpuNicSuiteTest, BaselineTurnsGrowthIntoWarnings) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.AddHealthyHccnTools();
  Baseline baseline;
  CheckItem flaps;
  flaps.id = "npu_nic.link_flaps.0";
  flaps.number = 1;
  baseline.items[flaps.id] = flaps;
  CheckItem ber;
  ber.id = "npu_nic.ber.1";
  ber.number = 1e-12;
  baseline.items[ber.id] = ber;
  node.ctx().baseline = &baseline;
  Findings f;
  RunNpuNicChecksWith(node.ctx(), NoPeer, &f);
  EXPECT_THAT(NotPassing(f), ElementsAre("npu_nic.link_flaps.0 WARN", "npu_nic.ber.1 WARN"));
}

TEST(NpuNicSuiteTest, R4PairsPassAndCountersStay) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.AddHealthyHccnTools();
  node.ctx().level = Level::kR4;
  node.ctx().peers = {PeerN2()};
  node.ctx().token_file = "/etc/hai/cluster.token";
  for (int i = 0; i < 8; ++i)
    node.runner().AddFile(RoceClient(node, i, node.ctx().peers[0].npu_addresses[i]),
                          Fixture("hccn-roce-test.txt"));
  std::vector<int> started;
  auto start = [&](const Peer& peer, const std::string& token, int device,
                   std::chrono::seconds duration) {
    EXPECT_EQ(peer.name, "n2");
    EXPECT_EQ(token, "/etc/hai/cluster.token");
    EXPECT_EQ(duration.count(), 10);
    started.push_back(device);
    return Status::Ok();
  };
  Findings f;
  RunNpuNicChecksWith(node.ctx(), start, &f);
  EXPECT_THAT(NotPassing(f), ElementsAre());
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  const CheckItem* pair = Find(f, "roce.pair.5.n2");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->number, 194.27);
  EXPECT_EQ(pair->threshold, ">= 190.00 Gb/s");
  EXPECT_EQ(pair->category, "bandwidth");
  EXPECT_EQ(pair->level, Level::kR4);
  EXPECT_THAT(pair->value, HasSubstr("RoCE"));
  EXPECT_EQ(CountWithPrefix(f, "roce.errors."), 8);
  EXPECT_EQ(Find(f, "roce.errors.0")->value, "no increase");
}

TEST(NpuNicSuiteTest, R4SlowPairRefusedServerAndGrowingErrors) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.AddHealthyHccnTools();
  node.ctx().level = Level::kR4;
  node.ctx().peers = {PeerN2()};
  for (int i = 0; i < 8; ++i)
    node.runner().AddFile(RoceClient(node, i, node.ctx().peers[0].npu_addresses[i]),
                          Fixture(i == 2 ? "hccn-roce-test-slow.txt" : "hccn-roce-test.txt"));
  auto start = [&](const Peer&, const std::string&, int device, std::chrono::seconds) {
    // While the tests run, port 4 drops packets: its counters read afterwards differ.
    node.Hccn(4, "-stat", "hccn-stat-errors.txt");
    if (device == 6) return Status::Unauthenticated("challenge failed");
    return Status::Ok();
  };
  Findings f;
  RunNpuNicChecksWith(node.ctx(), start, &f);
  EXPECT_THAT(NotPassing(f),
              ElementsAre("roce.pair.2.n2 FAIL", "roce.pair.6.n2 FAIL", "roce.errors.4 FAIL"));
  EXPECT_THAT(Find(f, "roce.pair.2.n2")->reason, HasSubstr("121.08 Gb/s"));
  EXPECT_THAT(Find(f, "roce.pair.6.n2")->reason, HasSubstr("challenge failed"));
  EXPECT_EQ(Find(f, "roce.errors.4")->value, "roce_rx_err_pkt_num +6");
}

TEST(NpuNicSuiteTest, R4WithoutPeersSkips) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.AddHealthyHccnTools();
  node.ctx().level = Level::kR4;
  Findings f;
  RunNpuNicChecksWith(node.ctx(), NoPeer, &f);
  EXPECT_EQ(Find(f, "roce.pair")->status, Verdict::kSkip);
  EXPECT_THAT(Find(f, "roce.pair")->reason, HasSubstr("--peer"));
  EXPECT_EQ(Find(f, "roce.errors")->status, Verdict::kSkip);

  Peer bare;
  bare.name = "n3";
  node.ctx().peers = {bare};
  Findings g;
  RunNpuNicChecksWith(node.ctx(), NoPeer, &g);
  EXPECT_THAT(Find(g, "roce.pair")->reason, HasSubstr("--peer-npu-ips"));
}

TEST(NpuNicSuiteTest, NotAnAscendNodeAddsNothing) {
  FakeAscendNode node;
  node.AddHealthyHccnTools();
  node.profile().vendor = accel::Vendor::kHygon;
  Findings f;
  RunNpuNicChecksWith(node.ctx(), NoPeer, &f);
  EXPECT_TRUE(f.items.empty());
  EXPECT_TRUE(node.runner().calls().empty());
}

}  // namespace
}  // namespace hai::hwcheck::ascend
