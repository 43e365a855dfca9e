#include <gtest/gtest.h>

#include "netconf/hccn_conf.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

TEST(HccnConfTest, RecordedFileRoundTripsByteForByte) {
  std::string recorded = testing::ReadAll(testing::Testdata("hccn.conf"));
  HccnConf conf = HccnConf::Parse(recorded);
  EXPECT_EQ(conf.Render(), recorded);
  EXPECT_EQ(conf.Get(0, "address"), "10.20.1.11");
  EXPECT_EQ(conf.Get(0, "dscp_tc"), "33:3,");
  EXPECT_EQ(conf.Get(0, "send_arp_status"), "1");
  EXPECT_EQ(conf.Get(1, "mtu"), "9000");
  EXPECT_EQ(conf.Get(2, "address"), std::nullopt);
}

TEST(HccnConfTest, RenderedPlanParsesBack) {
  FabricPlan plan = testing::LoadProfile("ascend-default.toml");
  HccnConf conf;
  for (const NpuPort& port : plan.FindNode("node3")->npu_ports)
    for (const auto& [k, v] : HccnConfKeys(port)) conf.Set(port.device, k, v);
  std::string text = conf.Render();
  EXPECT_EQ(HccnConf::Parse(text), conf);
  EXPECT_EQ(HccnConf::Parse(text).Render(), text);
  EXPECT_EQ(conf.Settings().size(), 8u);
  EXPECT_EQ(conf.Settings()[7]["address"], "10.20.3.18");
  EXPECT_EQ(conf.Settings()[7]["netmask"], "255.255.255.0");
  EXPECT_EQ(conf.Settings()[7]["gateway"], "10.20.3.1");
  EXPECT_EQ(conf.Settings()[7]["netdetect"], "10.20.3.1");
}

TEST(HccnConfTest, SetKeepsUnknownLinesAndReplacesInPlace) {
  std::string recorded = testing::ReadAll(testing::Testdata("hccn.conf"));
  HccnConf conf = HccnConf::Parse(recorded);
  conf.Set(0, "address", "10.20.1.99");
  conf.Set(1, "gateway", "10.20.1.254");
  conf.Set(1, "newkey", "x");
  conf.Set(5, "address", "10.20.1.16");
  std::string text = conf.Render();
  std::string expected = recorded;
  expected.replace(expected.find("address_0=10.20.1.11"), 20, "address_0=10.20.1.99");
  expected.replace(expected.find("gateway_1=10.20.1.1"), 19, "gateway_1=10.20.1.254");
  expected.replace(expected.find("mtu_1=9000\n"), 11, "mtu_1=9000\nnewkey_1=x\n");
  expected += "address_5=10.20.1.16\n";
  EXPECT_EQ(text, expected);
}

TEST(HccnConfTest, NoFinalNewlineIsKept) {
  EXPECT_EQ(HccnConf::Parse("address_0=1.2.3.4").Render(), "address_0=1.2.3.4");
  HccnConf conf = HccnConf::Parse("address_0=1.2.3.4");
  conf.Set(1, "address", "1.2.3.5");
  EXPECT_EQ(conf.Render(), "address_0=1.2.3.4\naddress_1=1.2.3.5\n");
  EXPECT_EQ(HccnConf::Parse("").Render(), "");
}

}  // namespace
}  // namespace hai::netconf
