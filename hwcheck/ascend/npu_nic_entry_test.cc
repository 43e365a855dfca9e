// RunNpuNicChecks as the CLI calls it, with the real StartPeerRoceServer of
// hai_hwcheck_host: r1 works without a peer, and a peer that cannot be
// reached (no token, nothing listening) is a FAIL with the reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hwcheck/ascend/ascend_node_fake.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck::ascend {
namespace {

using testing::FakeAscendNode;
using testing::Find;
using testing::NotPassing;

TEST(NpuNicEntryTest, R1WithoutPeers) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.AddHealthyHccnTools();
  Findings f;
  RunNpuNicChecks(node.ctx(), &f);
  EXPECT_THAT(NotPassing(f), ::testing::ElementsAre());
  EXPECT_EQ(f.items.size(), 8u * 8 + 1);
}

TEST(NpuNicEntryTest, UnreachablePeerFailsThePair) {
  FakeAscendNode node;
  node.AddHealthyNpuTools();
  node.AddHealthyHccnTools();
  node.ctx().level = Level::kR4;
  node.ctx().token_file = node.root() + "/no-such-token";
  node.ctx().bandwidth_duration = std::chrono::seconds(1);
  Peer peer;
  peer.name = "n2";
  peer.address = "127.0.0.1";
  peer.port = 1;  // privileged and unused: refused at once
  peer.npu_addresses = {"192.168.100.20"};
  node.ctx().peers = {peer};
  Findings f;
  RunNpuNicChecks(node.ctx(), &f);
  const CheckItem* pair = Find(f, "roce.pair.0.n2");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->status, Verdict::kFail);
  EXPECT_THAT(pair->reason, ::testing::HasSubstr("did not start the RoCE test server"));
  // Devices without a peer address are skipped, not guessed.
  EXPECT_EQ(Find(f, "roce.pair.1.n2")->status, Verdict::kSkip);
}

}  // namespace
}  // namespace hai::hwcheck::ascend
