#include <gtest/gtest.h>

#include "netconf/apply.h"
#include "netconf/hccn_commands.h"
#include "netconf/hccn_conf.h"
#include "netconf/npu_ports.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

using testing::Fixture;

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

class NpuPortsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plan_ = testing::LoadProfile("ascend-default.toml");
    node_ = *plan_.FindNode("node1");
    node_.nics.clear();
    env_.runner = &runner_;
    env_.root = dir_.path();
    env_.hccn_tool = "hccn_tool";
    for (const NpuPort& port : node_.npu_ports) {
      for (const HccnCommand& c : RenderHccnCommands(plan_, port, "hccn_tool"))
        runner_.AddOutput(c.argv, "");
      // The recorded outputs are for device 0 of node1; the others differ in the address.
      AnswerGet(port.device, "-ip", Replace(Fixture("hccn_ip_get.txt"), "10.20.1.11", port.address));
      AnswerGet(port.device, "-gateway", Fixture("hccn_gateway_get.txt"));
      AnswerGet(port.device, "-netdetect", Fixture("hccn_netdetect_get.txt"));
      AnswerGet(port.device, "-mtu", Fixture("hccn_mtu_get.txt"));
      AnswerGet(port.device, "-dscp_to_tc", Fixture("hccn_dscp_to_tc_get.txt"));
      AnswerGet(port.device, "-prio_tc", Fixture("hccn_prio_tc_get.txt"));
      AnswerGet(port.device, "-pfc", Fixture("hccn_pfc_get.txt"));
    }
  }
  void AnswerGet(int device, const std::string& cmd, const std::string& text) {
    runner_.AddOutput({"hccn_tool", "-i", std::to_string(device), cmd, "-g"}, text);
  }

  testing::TempDir dir_;
  FabricPlan plan_;
  NodePlan node_;
  accel::FakeCommandRunner runner_;
  Environment env_;
};

TEST_F(NpuPortsTest, ApplyThenVerifyIsClean) {
  Report report = ApplyNode(plan_, node_, env_);
  EXPECT_TRUE(report.failures.empty()) << report.failures[0];
  EXPECT_TRUE(report.diffs.empty()) << report.diffs[0].item << " " << report.diffs[0].actual;
  EXPECT_EQ(runner_.calls()[0], "hccn_tool -i 0 -ip -s address 10.20.1.11 netmask 255.255.255.0");
  EXPECT_EQ(runner_.calls()[8], "hccn_tool -i 0 -dcqcn -s cnp_dscp 48");
  EXPECT_EQ(runner_.calls()[9], "hccn_tool -i 1 -ip -s address 10.20.1.12 netmask 255.255.255.0");
  // hccn.conf has every port's addressing, and the HCCL env file its two values.
  HccnConf conf = HccnConf::Parse(testing::ReadAll(dir_.path() + "/etc/hccn.conf"));
  EXPECT_EQ(conf.Get(7, "address"), "10.20.1.18");
  EXPECT_EQ(conf.Get(7, "netdetect"), "10.20.1.1");
  std::string env = testing::ReadAll(dir_.path() + "/etc/hai/hccl.env");
  EXPECT_NE(env.find("HCCL_RDMA_TC=132\n"), std::string::npos);
  EXPECT_NE(env.find("HCCL_RDMA_SL=4\n"), std::string::npos);
  // A second apply changes no file.
  Report again = ApplyNode(plan_, node_, env_);
  for (const std::string& a : again.actions) EXPECT_EQ(a.find("file "), std::string::npos) << a;
}

TEST_F(NpuPortsTest, ChangedReadbackIsADiffNamingTheItem) {
  ASSERT_TRUE(ApplyNode(plan_, node_, env_).diffs.empty());
  AnswerGet(5, "-pfc", Replace(Fixture("hccn_pfc_get.txt"), "0   0   0   0   1", "0   0   0   1   0"));
  AnswerGet(2, "-mtu", "MTU:1500\n");
  Report report = VerifyNode(plan_, node_, env_);
  ASSERT_EQ(report.diffs.size(), 2u);
  EXPECT_EQ(report.diffs[0], (DiffLine{"npu.2.mtu", "9000", "1500"}));
  EXPECT_EQ(report.diffs[1], (DiffLine{"npu.5.pfc", "0,0,0,0,1,0,0,0", "0,0,0,1,0,0,0,0"}));
}

TEST_F(NpuPortsTest, HccnConfEditedByHandIsADiff) {
  ASSERT_TRUE(ApplyNode(plan_, node_, env_).diffs.empty());
  std::string path = dir_.path() + "/etc/hccn.conf";
  testing::WriteAll(path, Replace(testing::ReadAll(path), "address_3=10.20.1.14", "address_3=10.20.1.99"));
  Report report = VerifyNode(plan_, node_, env_);
  ASSERT_EQ(report.diffs.size(), 1u);
  EXPECT_EQ(report.diffs[0], (DiffLine{"file./etc/hccn.conf.address_3", "10.20.1.14", "10.20.1.99"}));
}

TEST_F(NpuPortsTest, DcqcnFailureIsToleratedUnlessRequired) {
  runner_.AddOutput({"hccn_tool", "-i", "0", "-dcqcn", "-s", "cnp_dscp", "48"}, "", 1,
                    "invalid command -dcqcn\n");
  Report report = ApplyNode(plan_, node_, env_);
  EXPECT_TRUE(report.failures.empty());
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("npu.0.dcqcn"), std::string::npos) << report.notes[0];
  plan_.dcqcn_required = true;
  report = ApplyNode(plan_, node_, env_);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].find("npu.0.dcqcn"), std::string::npos);
}

TEST(NpuPortsMissingToolTest, OneClearLine) {
  FabricPlan plan = testing::LoadProfile("ascend-default.toml");
  NodePlan node = *plan.FindNode("node1");
  node.nics.clear();
  accel::FakeCommandRunner runner;  // knows nothing: every tool is "not found"
  testing::TempDir dir;
  Environment env;
  env.runner = &runner;
  env.root = dir.path();
  env.hccn_tool = "/opt/none/hccn_tool";
  Report report = ApplyNode(plan, node, env);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].find("hccn_tool not found at /opt/none/hccn_tool"), std::string::npos);
  ASSERT_EQ(report.diffs.size(), 1u) << report.diffs[1].item;
  EXPECT_EQ(report.diffs[0].item, "npu.hccn_tool");
  EXPECT_EQ(runner.calls().size(), 2u);  // the first set command and the verify probe
}

}  // namespace
}  // namespace hai::netconf
