#include <gtest/gtest.h>

#include "netconf/hccl_env.h"
#include "netconf/hccn_commands.h"
#include "netconf/host_dcb.h"
#include "netconf/switch_template.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

using testing::LoadProfile;

std::vector<std::string> Lines(const FabricPlan& plan, const NpuPort& port) {
  std::vector<std::string> out;
  for (const HccnCommand& c : RenderHccnCommands(plan, port, "hccn_tool"))
    out.push_back(accel::JoinArgv(c.argv));
  return out;
}

TEST(RenderTest, HccnCommandsForAscendDefault) {
  FabricPlan plan = LoadProfile("ascend-default.toml");
  const NpuPort& port = plan.FindNode("node1")->npu_ports[3];
  EXPECT_EQ(Lines(plan, port),
            (std::vector<std::string>{
                "hccn_tool -i 3 -ip -s address 10.20.1.14 netmask 255.255.255.0",
                "hccn_tool -i 3 -gateway -s gateway 10.20.1.1",
                "hccn_tool -i 3 -netdetect -s address 10.20.1.1",
                "hccn_tool -i 3 -mtu -s size 9000",
                "hccn_tool -i 3 -dscp_to_tc -s dscp 33 tc 3",
                "hccn_tool -i 3 -prio_tc -s map 0,0,0,0,3,0,0,0",
                "hccn_tool -i 3 -pfc -s bitmap 0,0,0,0,1,0,0,0",
                "hccn_tool -i 3 -pfc_storm -s mode 2",
                "hccn_tool -i 3 -dcqcn -s cnp_dscp 48",
            }));
  auto cmds = RenderHccnCommands(plan, port, "hccn_tool");
  EXPECT_TRUE(cmds.back().tolerated) << "-dcqcn is ext-build only";
  EXPECT_FALSE(cmds.front().tolerated);
}

TEST(RenderTest, TcCfgAndStormThresholdsOnlyWhenSet) {
  FabricPlan plan = LoadProfile("mellanox-convention.toml");
  plan.tc_buffer_sizes = {816640, 81920, 81920, 816640, 0, 0, 0, 0};
  plan.tc_waterlines = {1, 2, 3, 4, 0, 0, 0, 0};
  plan.dcqcn_required = true;
  auto lines = Lines(plan, plan.nodes[0].npu_ports[0]);
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "hccn_tool -i 0 -tc_cfg -s size 816640,81920,81920,816640,0,0,0,0 "
                      "waterline 1,2,3,4,0,0,0,0"),
            lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "hccn_tool -i 0 -pfc_storm -s mode 2 warn_thrd 50 err_thrd 90"),
            lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "hccn_tool -i 0 -pfc -s bitmap 0,0,0,1,0,0,0,0"),
            lines.end());
  EXPECT_FALSE(RenderHccnCommands(plan, plan.nodes[0].npu_ports[0], "t").back().tolerated);
}

TEST(RenderTest, HcclEnvValues) {
  auto ascend = HcclEnv(LoadProfile("ascend-default.toml"));
  EXPECT_EQ(ascend["HCCL_RDMA_TC"], "132");
  EXPECT_EQ(ascend["HCCL_RDMA_SL"], "4");
  auto mlx = HcclEnv(LoadProfile("mellanox-convention.toml"));
  EXPECT_EQ(mlx["HCCL_RDMA_TC"], "104");
  EXPECT_EQ(mlx["HCCL_RDMA_SL"], "3");
  FabricPlan plan = LoadProfile("ascend-default.toml");
  EXPECT_EQ(ParseEnvFile(RenderHcclEnv(plan)), HcclEnv(plan));
}

TEST(RenderTest, HostDcb) {
  DcbConfig dcb = RenderDcb(LoadProfile("ascend-default.toml"));
  EXPECT_EQ(dcb.pfc_enabled, 0x10);
  EXPECT_EQ(dcb.prio_tc, (std::array<uint8_t, 8>{0, 0, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(dcb.tc_bw, (std::array<uint8_t, 8>{50, 50, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(dcb.tc_tsa, (std::array<uint8_t, 8>{2, 2, 2, 2, 2, 2, 2, 2}));
  EXPECT_EQ(dcb.dscp_prio, (std::vector<std::pair<uint8_t, uint8_t>>{{33, 4}}));
  EXPECT_EQ(DescribeDcb(dcb),
            "pfc 0,0,0,0,1,0,0,0 prio-tc 0,0,0,0,1,0,0,0 tc-tsa ets,ets,ets,ets,ets,ets,ets,ets "
            "tc-bw 50,50,0,0,0,0,0,0 app 33:4");
}

TEST(RenderTest, SwitchTemplateCarriesThePlan) {
  std::string text = RenderSwitchTemplate(LoadProfile("mellanox-convention.toml"));
  for (const char* line : {"qos trust dscp\n", "qos map dscp 26 to priority 3", "pfc enable priority 3\n",
                           "queue 3 ecn enable\n", "pfc watchdog enable priority 3",
                           "qos map dscp 48 to priority 6"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
}

}  // namespace
}  // namespace hai::netconf
