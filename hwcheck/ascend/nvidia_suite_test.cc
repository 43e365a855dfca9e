// RunNvidiaChecks on recorded nvidia-smi output (lib/accel's fixture) and an
// ib_write_bw pair test with a stand-in peer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "hwcheck/ascend/ascend_node_fake.h"
#include "hwcheck/ascend/suite_seams.h"
#include "hwcheck/suites.h"
#include "lib/accel/nvidia_adapter.h"

namespace hai::hwcheck::ascend {
namespace {

using testing::AccelFixture;
using ::testing::ElementsAre;
using testing::FakeAscendNode;
using testing::Find;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::NotPassing;

// The fake node with an NVIDIA profile: 2 × H100 80GB.
void MakeNvidia(FakeAscendNode* node) {
  HwProfile& p = node->profile();
  p.vendor = accel::Vendor::kNvidia;
  p.device_count = 2;
  p.device_model = "H100";
  p.device_memory_mib = 81559;
  node->runner().AddFile({"nvidia-smi", "--query-gpu=" + std::string(accel::kNvidiaQueryFields),
                          "--format=csv,noheader,nounits"},
                         AccelFixture("nvidia/query-gpu-h100x2.csv"));
}

TEST(NvidiaSuiteTest, CountHealthAndEcc) {
  FakeAscendNode node;
  MakeNvidia(&node);
  Findings f;
  RunNvidiaChecks(node.ctx(), &f);
  // GPU 1 of the recording has 3 uncorrected volatile ECC errors.
  EXPECT_THAT(NotPassing(f), ElementsAre("gpu.ecc.1 FAIL"));
  EXPECT_EQ(Find(f, "gpu.count")->number, 2);
  EXPECT_EQ(Find(f, "gpu.health.0")->value, "H100 80GB HBM3, 81559 MiB");
  EXPECT_EQ(Find(f, "gpu.ecc.1")->number, 3);
}

TEST(NvidiaSuiteTest, WrongModelAndMissingTool) {
  FakeAscendNode node;
  MakeNvidia(&node);
  node.profile().device_model = "A100";
  node.profile().device_count = 8;
  Findings f;
  RunNvidiaChecks(node.ctx(), &f);
  EXPECT_EQ(Find(f, "gpu.count")->status, Verdict::kFail);
  EXPECT_THAT(Find(f, "gpu.health.0")->reason, HasSubstr("is not A100"));

  FakeAscendNode bare;
  bare.profile().vendor = accel::Vendor::kNvidia;
  Findings g;
  RunNvidiaChecks(bare.ctx(), &g);
  ASSERT_EQ(g.items.size(), 1u);
  EXPECT_EQ(g.items[0].status, Verdict::kSkip);
  EXPECT_EQ(g.items[0].reason, "nvidia-smi not found");
}

TEST(NvidiaSuiteTest, R4RdmaPairs) {
  FakeAscendNode node;
  MakeNvidia(&node);
  node.ctx().level = Level::kR4;
  std::filesystem::create_directories(node.root() + "/sys/class/infiniband/mlx5_0");
  Peer peer;
  peer.name = "N2";
  peer.address = "127.0.0.2";
  node.ctx().peers = {peer};
  node.runner().AddFile(
      {"ib_write_bw", "-d", "mlx5_0", "-s", "1048576", "-D", "10", "--report_gbits", "127.0.0.2"},
      Fixture("ib-write-bw-gbits.txt"));

  // The public entry point has no way to start the far end yet: a SKIP.
  Findings plain;
  RunNvidiaChecks(node.ctx(), &plain);
  EXPECT_EQ(Find(plain, "rdma.pair.mlx5_0.n2")->status, Verdict::kSkip);
  EXPECT_THAT(Find(plain, "rdma.pair.mlx5_0.n2")->reason, HasSubstr("ib_write_bw"));

  std::string asked;
  Findings f;
  RunNvidiaChecksWith(
      node.ctx(),
      [&](const Peer&, const std::string&, const std::string& device, std::chrono::seconds) {
        asked = device;
        return Status::Ok();
      },
      &f);
  EXPECT_EQ(asked, "mlx5_0");
  const CheckItem* pair = Find(f, "rdma.pair.mlx5_0.n2");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->status, Verdict::kPass);
  EXPECT_EQ(pair->number, 196.38);
  EXPECT_THAT(pair->value, HasSubstr("RDMA"));
}

TEST(NvidiaSuiteTest, NotAnNvidiaNodeAddsNothing) {
  FakeAscendNode node;
  Findings f;
  RunNvidiaChecks(node.ctx(), &f);
  EXPECT_TRUE(f.items.empty());
  EXPECT_TRUE(node.runner().calls().empty());
}

}  // namespace
}  // namespace hai::hwcheck::ascend
