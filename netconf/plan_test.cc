#include <gtest/gtest.h>

#include "netconf/fabric_plan.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

using testing::LoadProfile;

TEST(FabricPlanTest, AscendDefaultLoads) {
  FabricPlan plan = LoadProfile("ascend-default.toml");
  EXPECT_EQ(plan.name, "ascend-default");
  EXPECT_EQ(plan.dscp, 33);
  EXPECT_EQ(plan.priority, 4);
  EXPECT_EQ(plan.npu_tc, 3);
  EXPECT_EQ(plan.HcclRdmaTc(), 132);
  EXPECT_EQ(plan.pfc_storm.mode, 2);
  ASSERT_EQ(plan.nodes.size(), 3u);
  const NodePlan* node = plan.FindNode("node2");
  ASSERT_NE(node, nullptr);
  ASSERT_EQ(node->npu_ports.size(), 8u);
  EXPECT_EQ(node->npu_ports[7].device, 7);
  EXPECT_EQ(node->npu_ports[7].address, "10.20.2.18");
  EXPECT_EQ(node->npu_ports[7].netmask, "255.255.255.0");
  EXPECT_EQ(node->npu_ports[7].netdetect, "10.20.2.1");
  ASSERT_EQ(node->nics.size(), 2u);
  EXPECT_EQ(node->nics[0].addresses, std::vector<std::string>{"10.30.2.11/24"});
  EXPECT_EQ(node->nics[0].routes[0], (RouteSpec{"10.31.0.0/16", "10.30.2.1", 0}));
  EXPECT_FALSE(node->nics[1].dcb);
  EXPECT_EQ(node->nics[1].ecn, EcnMode::kOff);
}

TEST(FabricPlanTest, MellanoxConventionLoads) {
  FabricPlan plan = LoadProfile("mellanox-convention.toml");
  EXPECT_EQ(plan.dscp, 26);
  EXPECT_EQ(plan.priority, 3);
  EXPECT_EQ(plan.HcclRdmaTc(), 104);
  EXPECT_EQ(plan.RoceTos(), 106);
}

constexpr char kBase[] = R"(
[roce]
dscp = 33
priority = 4
cnp_dscp = 48
[npu]
prio_tc = [0, 0, 0, 0, 3, 0, 0, 0]
[host]
tc_bw = [50, 50, 0, 0, 0, 0, 0, 0]
[[node]]
name = "n1"
[[node.npu]]
device = 0
address = "10.20.1.11/24"
gateway = "10.20.1.1"
[[node.npu]]
device = 1
address = "10.20.1.12/24"
[[node.nic]]
name = "ens1f0"
addresses = ["10.30.1.11/24"]
)";

// kBase with `from` replaced by `to` (which must be there).
std::string With(const std::string& from, const std::string& to) {
  std::string text = kBase;
  size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("no " + from);
  return text.replace(at, from.size(), to);
}

void ExpectBadKey(const std::string& text, const std::string& key) {
  auto plan = ParseFabricPlan(text, "test.toml");
  ASSERT_FALSE(plan.ok()) << "accepted a plan with a bad " << key;
  EXPECT_EQ(plan.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(plan.status().field(), key) << plan.status().message();
  EXPECT_NE(plan.status().message().find("test.toml: " + key), std::string::npos)
      << plan.status().message();
}

TEST(FabricPlanTest, BaseIsGood) { ASSERT_TRUE(ParseFabricPlan(kBase, "test.toml").ok()); }

TEST(FabricPlanTest, UnknownKeysNamedWithTheirPath) {
  ExpectBadKey(With("cnp_dscp = 48", "cnp_dscp = 48\ncnp_dcsp = 48"), "roce.cnp_dcsp");
  ExpectBadKey(With("device = 1\n", "device = 1\nadress = \"x\"\n"), "node[0].npu[1].adress");
  ExpectBadKey(With("name = \"ens1f0\"", "name = \"ens1f0\"\nmtu_bytes = 9000"),
               "node[0].nic[0].mtu_bytes");
  ExpectBadKey(std::string(kBase) + "[qos]\nx = 1\n", "qos");
}

TEST(FabricPlanTest, OutOfRangeValues) {
  ExpectBadKey(With("dscp = 33", "dscp = 64"), "roce.dscp");
  ExpectBadKey(With("priority = 4", "priority = 8"), "roce.priority");
  ExpectBadKey(With("[npu]\n", "[npu]\nmtu = 9703\n"), "npu.mtu");
  ExpectBadKey(With("[npu]\n", "[npu]\nmtu = 67\n"), "npu.mtu");
  ExpectBadKey(With("[host]\n", "[host]\nmtu = 9217\n"), "host.mtu");
  ExpectBadKey(With("name = \"ens1f0\"", "name = \"ens1f0\"\nmtu = 10000"), "node[0].nic[0].mtu");
  ExpectBadKey(With("[npu]\n", "[npu]\nroce_tc = 4\n"), "npu.roce_tc");
  ExpectBadKey(With("prio_tc = [0, 0, 0, 0, 3, 0, 0, 0]", "prio_tc = [0, 0, 0, 0, 3, 0, 0, 4]"),
               "npu.prio_tc");
  ExpectBadKey(With("prio_tc = [0, 0, 0, 0, 3, 0, 0, 0]", "prio_tc = [0, 0, 0, 3]"), "npu.prio_tc");
  ExpectBadKey(With("[[node]]", "[pfc]\nstorm_warn_threshold = 90\n[[node]]"),
               "pfc.storm_warn_threshold");
}

TEST(FabricPlanTest, ContradictionsNameTheKey) {
  // RoCE on two priorities.
  ExpectBadKey(With("[npu]", "[pfc]\npriority = 3\n[npu]"), "pfc.priority");
  // The DSCP's TC and the priority's TC differ.
  ExpectBadKey(With("[npu]\n", "[npu]\nroce_tc = 2\n"), "npu.prio_tc");
  ExpectBadKey(With("cnp_dscp = 48", "cnp_dscp = 33"), "roce.cnp_dscp");
  ExpectBadKey(With("tc_bw = [50, 50, 0, 0, 0, 0, 0, 0]", "tc_bw = [50, 40, 0, 0, 0, 0, 0, 0]"),
               "host.tc_bw");
  ExpectBadKey(With("[host]\n", "[host]\nprio_tc = [0, 0, 0, 0, 2, 0, 0, 0]\n"), "host.tc_bw");
  ExpectBadKey(With("device = 1", "device = 0"), "node[0].npu[1].device");
  ExpectBadKey(With("10.20.1.12/24", "10.20.1.11/24"), "node[0].npu[1].address");
  ExpectBadKey(With("10.30.1.11/24", "10.20.1.11/24"), "node[0].nic[0].addresses");
  ExpectBadKey(With("gateway = \"10.20.1.1\"", "gateway = \"10.21.1.1\""), "node[0].npu[0].gateway");
  ExpectBadKey(With("cnp_dscp = 48", "cnp_dscp = 48\ntrust = \"pcp\""), "roce.trust");
  ExpectBadKey(std::string(kBase) + "[[node]]\nname = \"n1\"\n", "node[1].name");
}

TEST(FabricPlanTest, BadAddresses) {
  ExpectBadKey(With("10.20.1.11/24", "10.20.1.300/24"), "node[0].npu[0].address");
  ExpectBadKey(With("10.20.1.11/24", "10.20.1.11"), "node[0].npu[0].address");
  ExpectBadKey(With("10.20.1.11/24", "10.20.1.11/33"), "node[0].npu[0].address");
  ExpectBadKey(With("10.30.1.11/24", "10.30.1.11/40"), "node[0].nic[0].addresses");
  ExpectBadKey(With("name = \"ens1f0\"",
                    "name = \"ens1f0\"\nroutes = [{ destination = \"10.31.0.0/99\" }]"),
               "node[0].nic[0].routes[0].destination");
}

TEST(FabricPlanTest, TcCfgNeedsBothAndLimits) {
  ExpectBadKey(With("[host]", "tc_buffer_sizes = [816640, 0, 0, 816640, 0, 0, 0, 0]\n[host]"),
               "npu.tc_waterlines");
  ExpectBadKey(With("[host]",
                    "tc_buffer_sizes = [816640, 100, 0, 816640, 0, 0, 0, 0]\n"
                    "tc_waterlines = [0, 0, 0, 0, 0, 0, 0, 0]\n[host]"),
               "npu.tc_buffer_sizes");
  ExpectBadKey(With("[host]",
                    "tc_buffer_sizes = [900000, 0, 0, 900000, 0, 0, 0, 0]\n"
                    "tc_waterlines = [0, 0, 0, 0, 0, 0, 0, 0]\n[host]"),
               "npu.tc_buffer_sizes");
}

TEST(FabricPlanTest, TomlSyntaxErrorNamesTheFile) {
  auto plan = ParseFabricPlan("[roce\n", "broken.toml");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("broken.toml"), std::string::npos);
}

}  // namespace
}  // namespace hai::netconf
