#include <gtest/gtest.h>

#include "netconf/host_dcb.h"
#include "netconf/host_nics.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

class HostNicsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plan_ = testing::LoadProfile("ascend-default.toml");
    node_ = *plan_.FindNode("node1");
    node_.npu_ports.clear();
    host_.AddLink("ens1f0");
    host_.AddLink("eno1", 1500, true);
    env_.host = &host_;
  }
  FabricPlan plan_;
  NodePlan node_;
  testing::FakeHostNetwork host_;
  Environment env_;
};

TEST_F(HostNicsTest, ApplyThenVerifyIsClean) {
  Report report;
  ApplyHostNics(plan_, node_, env_, &report);
  EXPECT_TRUE(report.failures.empty()) << report.failures[0];
  EXPECT_EQ(host_.calls, (std::vector<std::string>{"mtu ens1f0 9000", "up ens1f0",
                                                   "addr ens1f0 10.30.1.11/24",
                                                   "route ens1f0 10.31.0.0/16", "dcb ens1f0"}));
  EXPECT_EQ(host_.dcb_["ens1f0"], RenderDcb(plan_));
  EXPECT_FALSE(host_.dcb_.contains("eno1")) << "dcb = false";
  Report verify;
  VerifyHostNics(plan_, node_, env_, &verify);
  EXPECT_TRUE(verify.diffs.empty()) << verify.diffs[0].item;
  // Nothing left to do the second time.
  host_.calls.clear();
  Report again;
  ApplyHostNics(plan_, node_, env_, &again);
  EXPECT_TRUE(host_.calls.empty()) << host_.calls[0];
}

TEST_F(HostNicsTest, DriftIsADiffPerItem) {
  Report report;
  ApplyHostNics(plan_, node_, env_, &report);
  host_.links_["ens1f0"].mtu = 1500;
  host_.links_["ens1f0"].routes.clear();
  host_.dcb_["ens1f0"].pfc_enabled = 0x08;
  Report verify;
  VerifyHostNics(plan_, node_, env_, &verify);
  ASSERT_EQ(verify.diffs.size(), 3u);
  EXPECT_EQ(verify.diffs[0], (DiffLine{"host.ens1f0.mtu", "9000", "1500"}));
  EXPECT_EQ(verify.diffs[1].item, "host.ens1f0.route");
  EXPECT_EQ(verify.diffs[1].expected, "10.31.0.0/16 via 10.30.1.1 metric 0");
  EXPECT_EQ(verify.diffs[2].item, "host.ens1f0.dcb");
  EXPECT_NE(verify.diffs[2].actual.find("pfc 0,0,0,1,0,0,0,0"), std::string::npos);
}

TEST_F(HostNicsTest, DcbNotSupportedIsClearUnlessThePlanSaysNoDcb) {
  host_.no_dcb.insert("ens1f0");
  Report report;
  ApplyHostNics(plan_, node_, env_, &report);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].find("host.ens1f0.dcb: DCB on ens1f0: not supported by this device"),
            std::string::npos)
      << report.failures[0];
  Report verify;
  VerifyHostNics(plan_, node_, env_, &verify);
  ASSERT_EQ(verify.diffs.size(), 1u);
  EXPECT_EQ(verify.diffs[0].item, "host.ens1f0.dcb");
  EXPECT_NE(verify.diffs[0].actual.find("not supported by this device"), std::string::npos);

  node_.nics[0].dcb = false;
  Report no_dcb;
  ApplyHostNics(plan_, node_, env_, &no_dcb);
  VerifyHostNics(plan_, node_, env_, &no_dcb);
  EXPECT_TRUE(no_dcb.failures.empty());
  EXPECT_TRUE(no_dcb.diffs.empty());
}

TEST_F(HostNicsTest, MissingLink) {
  host_.links_.erase("ens1f0");
  Report report;
  ApplyHostNics(plan_, node_, env_, &report);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0], "host.ens1f0: no such link");
  VerifyHostNics(plan_, node_, env_, &report);
  ASSERT_EQ(report.diffs.size(), 1u);
  EXPECT_EQ(report.diffs[0], (DiffLine{"host.ens1f0.link", "present", "no such link"}));
}

}  // namespace
}  // namespace hai::netconf
