#include <gtest/gtest.h>

#include "hwcheck/ascend/ascend_test_support.h"
#include "hwcheck/ascend/hccn_counters.h"
#include "hwcheck/ascend/hccn_optical.h"
#include "hwcheck/ascend/hccn_port.h"

namespace hai::hwcheck::ascend {
namespace {

using testing::Read;

TEST(HccnPortTest, Link) {
  EXPECT_EQ(*ParseHccnLink(Read("hccn-link-up.txt")), "UP");
  EXPECT_EQ(*ParseHccnLink(Read("hccn-link-down.txt")), "DOWN");
  EXPECT_FALSE(ParseHccnLink("hccn_tool: invalid device id\n").ok());
}

TEST(HccnPortTest, SpeedAndUnknownWhileDown) {
  Result<std::optional<int64_t>> up = ParseHccnSpeed(Read("hccn-speed.txt"));
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->value_or(-1), 200000);
  Result<std::optional<int64_t>> down = ParseHccnSpeed(Read("hccn-speed-unknown.txt"));
  ASSERT_TRUE(down.ok());
  EXPECT_FALSE(down->has_value());
  EXPECT_FALSE(ParseHccnSpeed("").ok());
}

TEST(HccnPortTest, NetHealthKeepsBlanks) {
  EXPECT_EQ(*ParseHccnNetHealth(Read("hccn-net-health-success.txt")), "Success");
  std::string bad = *ParseHccnNetHealth(Read("hccn-net-health-socket-fail.txt"));
  EXPECT_EQ(bad, "Socket fail");
  EXPECT_TRUE(NetHealthOk("Success"));
  EXPECT_TRUE(NetHealthOk("Init"));
  EXPECT_FALSE(NetHealthOk(bad));
  EXPECT_FALSE(NetHealthOk("Detect ip set"));
}

TEST(HccnPortTest, Fec) {
  EXPECT_EQ(*ParseHccnFec(Read("hccn-fec-rs.txt")), "rs");
  EXPECT_EQ(*ParseHccnFec("fec mode: no FEC mode\n"), "no");
  EXPECT_EQ(*ParseHccnFec("fec mode: auto FEC mode\n"), "auto");
}

TEST(HccnPortTest, Tls) {
  EXPECT_EQ(*ParseHccnTls(Read("hccn-tls-disable.txt")), "disable");
  EXPECT_EQ(*ParseHccnTls(Read("hccn-tls-enable.txt")), "enable");
  EXPECT_EQ(*ParseHccnTls("tls switch : 1\n"), "enable");
  EXPECT_FALSE(ParseHccnTls("nothing here\n").ok());
}

TEST(HccnPortTest, Ip) {
  Result<HccnIp> ip = ParseHccnIp(Read("hccn-ip.txt"));
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(ip->address, "192.168.100.10");
  EXPECT_EQ(ip->netmask, "255.255.255.0");
}

TEST(HccnOpticalTest, HealthyModule) {
  Result<OpticalInfo> info = ParseHccnOptical(Read("hccn-optical.txt"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->present);
  EXPECT_EQ(info->vendor, "EXAMPLE-OPTICS");
  ASSERT_EQ(info->tx_power_mw.size(), 4u);
  ASSERT_EQ(info->rx_power_mw.size(), 4u);
  EXPECT_DOUBLE_EQ(info->rx_power_mw[1], 0.9034);
  EXPECT_DOUBLE_EQ(info->rx_low_mw.value_or(0), 0.0724);
  EXPECT_DOUBLE_EQ(info->tx_high_mw.value_or(0), 3.5481);
  EXPECT_EQ(info->flags.size(), 4u);
  EXPECT_TRUE(OpticalProblems(*info).empty());
}

TEST(HccnOpticalTest, DarkLaneAndLossOfSignal) {
  Result<OpticalInfo> info = ParseHccnOptical(Read("hccn-optical-los.txt"));
  ASSERT_TRUE(info.ok());
  std::vector<std::string> problems = OpticalProblems(*info);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("Rx Power2"), std::string::npos);
  EXPECT_NE(problems[1].find("Rx Los Flag 0x1"), std::string::npos);
}

TEST(HccnOpticalTest, AbsentModule) {
  Result<OpticalInfo> info = ParseHccnOptical("optical info:\npresent : not present\n");
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->present);
  EXPECT_EQ(OpticalProblems(*info).size(), 1u);
  EXPECT_FALSE(ParseHccnOptical("hccn_tool: failed\n").ok());
}

TEST(HccnCountersTest, StatAndStatExtra) {
  HccnCounters stat = ParseHccnCounters(Read("hccn-stat.txt"));
  EXPECT_EQ(stat.size(), 15u);
  EXPECT_EQ(stat.at("roce_rx_err_pkt_num"), 3);
  EXPECT_EQ(stat.at("mac_rx_pfc_pri4_pkt_num"), 1733);
  HccnCounters extra = ParseHccnCounters(Read("hccn-stat-extra.txt"));
  EXPECT_EQ(extra.at("cw_uncorrect_cnt"), 0);
  EXPECT_DOUBLE_EQ(extra.at("correcting_bit_rate"), 1.68e-10);
}

TEST(HccnCountersTest, GrowthWatchesOnlyErrorCounters) {
  HccnCounters before = ParseHccnCounters(Read("hccn-stat.txt"));
  HccnCounters after = ParseHccnCounters(Read("hccn-stat-errors.txt"));
  std::map<std::string, double> grown = ErrorCounterGrowth(before, after);
  ASSERT_EQ(grown.size(), 1u);  // roce_rx_cnp_pkt_num grew too, but CNPs are not errors
  EXPECT_EQ(grown.at("roce_rx_err_pkt_num"), 6);
  HccnCounters cw_before = ParseHccnCounters(Read("hccn-stat-extra.txt"));
  HccnCounters cw_after = ParseHccnCounters(Read("hccn-stat-extra-uncorrect.txt"));
  EXPECT_EQ(ErrorCounterGrowth(cw_before, cw_after).at("cw_uncorrect_cnt"), 2);
  EXPECT_TRUE(ErrorCounterGrowth(before, before).empty());
}

TEST(HccnCountersTest, LinkStat) {
  Result<LinkStat> stat = ParseHccnLinkStat(Read("hccn-link-stat.txt"));
  ASSERT_TRUE(stat.ok());
  EXPECT_EQ(stat->link_up_count, 2);
  EXPECT_EQ(stat->up_records, 2);
  EXPECT_EQ(stat->down_records, 1);
  EXPECT_FALSE(ParseHccnLinkStat("[devid 0]  current time : now\n").ok());
}

}  // namespace
}  // namespace hai::hwcheck::ascend
