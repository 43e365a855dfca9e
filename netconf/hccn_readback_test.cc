#include <gtest/gtest.h>

#include "netconf/hccn_readback.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

using testing::Fixture;

TEST(HccnReadbackTest, RecordedLayouts) {
  auto ip = ParseHccnIp(Fixture("hccn_ip_get.txt"));
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->address, "10.20.1.11");
  EXPECT_EQ(ip->netmask, "255.255.255.0");
  EXPECT_EQ(ParseHccnAddress(Fixture("hccn_gateway_get.txt")), "10.20.1.1");
  EXPECT_EQ(ParseHccnAddress(Fixture("hccn_netdetect_get.txt")), "10.20.1.1");
  auto table = ParseHccnDscpToTc(Fixture("hccn_dscp_to_tc_get.txt"));
  EXPECT_EQ(table.size(), 64u);
  EXPECT_EQ(table[33], 3);
  EXPECT_EQ(table[26], 0);
  EXPECT_EQ(ParseHccnPfc(Fixture("hccn_pfc_get.txt")), 0x10u);
  EXPECT_EQ(ParseHccnPrioTc(Fixture("hccn_prio_tc_get.txt")),
            (std::array<int, 8>{0, 0, 0, 0, 3, 0, 0, 0}));
  EXPECT_EQ(ParseHccnMtu(Fixture("hccn_mtu_get.txt")), 9000);
}

TEST(HccnReadbackTest, TolerantVariants) {
  EXPECT_EQ(ParseHccnDscpToTc("dscp:33 tc:3\n")[33], 3);
  EXPECT_EQ(ParseHccnPrioTc("0,0,0,0,3,0,0,0\n"), (std::array<int, 8>{0, 0, 0, 0, 3, 0, 0, 0}));
  EXPECT_EQ(ParseHccnMtu("mtu size : 1500\n"), 1500);
  EXPECT_EQ(ParseHccnMtu("9702"), 9702);
}

TEST(HccnReadbackTest, GarbageGivesNothing) {
  EXPECT_FALSE(ParseHccnIp("ipaddr:\nnetmask:\n"));
  EXPECT_FALSE(ParseHccnAddress("gateway not set"));
  EXPECT_TRUE(ParseHccnDscpToTc("error: device busy").empty());
  EXPECT_FALSE(ParseHccnPfc("PFC configuration:\nenabled 0 0 1\n"));
  EXPECT_FALSE(ParseHccnPrioTc("priority 0 1 2 3 4 5 6 7\nmap 0 0 0 0 3 0 0 0\n"));
  EXPECT_FALSE(ParseHccnMtu("mtu not supported on port 1 of 8"));
}

}  // namespace
}  // namespace hai::netconf
