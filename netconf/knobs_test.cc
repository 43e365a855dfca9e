#include <gtest/gtest.h>

#include "netconf/ecn_sysfs.h"
#include "netconf/rdma_cm_tos.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

using testing::ReadAll;
using testing::WriteAll;

class KnobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plan_ = testing::LoadProfile("ascend-default.toml");
    node_ = *plan_.FindNode("node1");
    env_.sysfs_root = dir_.path() + "/sys";
    env_.configfs_root = dir_.path() + "/config";
    ecn_ = env_.sysfs_root + "/class/net/ens1f0/ecn";
  }
  // The attributes a ConnectX driver exposes, all off.
  void MakeEcnTree(bool with_cnp_dscp) {
    for (int p = 0; p < 8; ++p) {
      WriteAll(ecn_ + "/roce_np/enable/" + std::to_string(p), "0\n");
      WriteAll(ecn_ + "/roce_rp/enable/" + std::to_string(p), "0\n");
    }
    if (with_cnp_dscp) WriteAll(ecn_ + "/roce_np/cnp_dscp", "0\n");
  }
  testing::TempDir dir_;
  FabricPlan plan_;
  NodePlan node_;
  Environment env_;
  std::string ecn_;
};

TEST_F(KnobsTest, EcnWrittenAndVerified) {
  MakeEcnTree(true);
  Report report;
  ApplyEcn(plan_, node_, env_, &report);
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(ReadAll(ecn_ + "/roce_np/enable/4"), "1");
  EXPECT_EQ(ReadAll(ecn_ + "/roce_rp/enable/4"), "1");
  EXPECT_EQ(ReadAll(ecn_ + "/roce_np/enable/3"), "0\n");
  EXPECT_EQ(ReadAll(ecn_ + "/roce_np/cnp_dscp"), "48");
  VerifyEcn(plan_, node_, env_, &report);
  EXPECT_TRUE(report.diffs.empty());
  WriteAll(ecn_ + "/roce_rp/enable/4", "0\n");
  VerifyEcn(plan_, node_, env_, &report);
  ASSERT_EQ(report.diffs.size(), 1u);
  EXPECT_EQ(report.diffs[0], (DiffLine{"sysfs.class/net/ens1f0/ecn/roce_rp/enable/4", "1", "0"}));
}

TEST_F(KnobsTest, CnpDscpOnlyWhenTheFileExists) {
  MakeEcnTree(false);
  Report report;
  ApplyEcn(plan_, node_, env_, &report);
  VerifyEcn(plan_, node_, env_, &report);
  EXPECT_TRUE(report.failures.empty());
  EXPECT_TRUE(report.diffs.empty());
  EXPECT_FALSE(std::filesystem::exists(ecn_ + "/roce_np/cnp_dscp"));
}

TEST_F(KnobsTest, NoEcnDirectory) {
  Report optional;
  ApplyEcn(plan_, node_, env_, &optional);
  VerifyEcn(plan_, node_, env_, &optional);
  EXPECT_TRUE(optional.failures.empty());
  EXPECT_TRUE(optional.diffs.empty());
  ASSERT_EQ(optional.notes.size(), 1u);
  EXPECT_NE(optional.notes[0].find("host.ens1f0.ecn: not supported by this device"), std::string::npos);

  node_.nics[0].ecn = EcnMode::kRequired;
  Report required;
  ApplyEcn(plan_, node_, env_, &required);
  VerifyEcn(plan_, node_, env_, &required);
  ASSERT_EQ(required.failures.size(), 1u);
  ASSERT_EQ(required.diffs.size(), 1u);
  EXPECT_EQ(required.diffs[0].item, "host.ens1f0.ecn");
  EXPECT_NE(required.diffs[0].actual.find("not supported by this device"), std::string::npos);
}

TEST_F(KnobsTest, RdmaCmTos) {
  std::filesystem::create_directories(env_.configfs_root + "/rdma_cm");
  // The test tree cannot make configfs create ports/ on mkdir: without it
  // apply says which directory is missing.
  Report missing;
  ApplyRdmaCmTos(plan_, node_, env_, &missing);
  ASSERT_EQ(missing.failures.size(), 1u);
  EXPECT_NE(missing.failures[0].find("rdma_cm/mlx5_0/ports/1 missing"), std::string::npos)
      << missing.failures[0];
  EXPECT_TRUE(std::filesystem::is_directory(env_.configfs_root + "/rdma_cm/mlx5_0"))
      << "mkdir <hca> first";

  const std::string port = env_.configfs_root + "/rdma_cm/mlx5_0/ports/1";
  WriteAll(port + "/default_roce_mode", "IB/RoCE v1\n");
  WriteAll(port + "/default_roce_tos", "0\n");
  Report report;
  ApplyRdmaCmTos(plan_, node_, env_, &report);
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(ReadAll(port + "/default_roce_mode"), "RoCE v2");
  EXPECT_EQ(ReadAll(port + "/default_roce_tos"), "132");
  VerifyRdmaCmTos(plan_, node_, env_, &report);
  EXPECT_TRUE(report.diffs.empty());

  plan_.tos_ect = true;  // DSCP 33 with ECT(0)
  VerifyRdmaCmTos(plan_, node_, env_, &report);
  ASSERT_EQ(report.diffs.size(), 1u);
  EXPECT_EQ(report.diffs[0],
            (DiffLine{"configfs.rdma_cm.mlx5_0.ports.1.default_roce_tos", "134", "132"}));
}

TEST_F(KnobsTest, NoRdmaCmInConfigfs) {
  Report report;
  ApplyRdmaCmTos(plan_, node_, env_, &report);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].find("modprobe rdma_cm"), std::string::npos);
}

}  // namespace
}  // namespace hai::netconf
