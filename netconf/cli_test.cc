#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "netconf/cli.h"
#include "netconf/hccn_commands.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

using testing::Fixture;

constexpr char kPlan[] = R"([plan]
name = "one-port"
[roce]
dscp = 33
priority = 4
[[node]]
name = "n1"
[[node.npu]]
device = 0
address = "10.20.1.11/24"
gateway = "10.20.1.1"
)";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plan_path_ = dir_.path() + "/plan.toml";
    testing::WriteAll(plan_path_, kPlan);
    deps_.runner = &runner_;
    deps_.hostname = "n1";
    auto plan = ParseFabricPlan(kPlan, "plan.toml");
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    for (const HccnCommand& c : RenderHccnCommands(*plan, plan->nodes[0].npu_ports[0], "hccn_tool"))
      runner_.AddOutput(c.argv, "");
    for (auto [cmd, file] : {std::pair{"-ip", "hccn_ip_get.txt"}, {"-gateway", "hccn_gateway_get.txt"},
                             {"-netdetect", "hccn_netdetect_get.txt"}, {"-mtu", "hccn_mtu_get.txt"},
                             {"-dscp_to_tc", "hccn_dscp_to_tc_get.txt"},
                             {"-prio_tc", "hccn_prio_tc_get.txt"}, {"-pfc", "hccn_pfc_get.txt"}})
      runner_.AddOutput({"hccn_tool", "-i", "0", cmd, "-g"}, Fixture(file));
  }
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunNetconf(args, deps_, out_, err_);
  }
  std::vector<std::string> Common(const std::string& verb) {
    return {verb, "--plan", plan_path_, "--root", dir_.path(), "--hccn-tool", "hccn_tool"};
  }

  testing::TempDir dir_;
  std::string plan_path_;
  accel::FakeCommandRunner runner_;
  CliDeps deps_;
  std::ostringstream out_, err_;
};

TEST_F(CliTest, PlanPrintsTheIntent) {
  EXPECT_EQ(Run(Common("plan")), kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("hccn_tool -i 0 -pfc -s bitmap 0,0,0,0,1,0,0,0\n"), std::string::npos);
  EXPECT_NE(out_.str().find("HCCL_RDMA_TC=132\n"), std::string::npos);
  EXPECT_NE(out_.str().find("qos trust dscp"), std::string::npos);
  EXPECT_TRUE(runner_.calls().empty()) << "plan runs nothing";
  auto args = Common("plan");
  args.push_back("--json");
  EXPECT_EQ(Run(args), kExitOk);
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["hccl_env"]["HCCL_RDMA_SL"], "4");
}

TEST_F(CliTest, ApplyAndVerifyExitCodes) {
  EXPECT_EQ(Run(Common("verify")), kExitNotOk) << "nothing applied yet: hccn.conf and hccl.env missing";
  EXPECT_NE(out_.str().find("DIFF     file./etc/hai/hccl.env.HCCL_RDMA_TC: expected 132"),
            std::string::npos)
      << out_.str();
  EXPECT_EQ(Run(Common("apply")), kExitOk) << out_.str() << err_.str();
  EXPECT_EQ(Run(Common("verify")), kExitOk) << out_.str();
  runner_.AddOutput({"hccn_tool", "-i", "0", "-mtu", "-g"}, "MTU:1500\n");
  auto args = Common("verify");
  args.push_back("--json");
  EXPECT_EQ(Run(args), kExitNotOk);
  auto j = nlohmann::json::parse(out_.str());
  ASSERT_EQ(j["diff"].size(), 1u);
  EXPECT_EQ(j["diff"][0]["item"], "npu.0.mtu");
  EXPECT_EQ(j["diff"][0]["actual"], "1500");
}

TEST_F(CliTest, BadPlanIsExit2NamingTheKeyAndRunsNothing) {
  std::string text = kPlan;
  text.replace(text.find("dscp = 33"), 9, "dscp = 70");
  testing::WriteAll(plan_path_, text);
  EXPECT_EQ(Run(Common("apply")), kExitBadPlan);
  EXPECT_NE(err_.str().find("roce.dscp: 70 is out of range 0–63"), std::string::npos) << err_.str();
  EXPECT_TRUE(runner_.calls().empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/etc"));
}

TEST_F(CliTest, UnknownNodeAndUsage) {
  deps_.hostname = "elsewhere";
  EXPECT_EQ(Run(Common("apply")), kExitBadPlan);
  EXPECT_NE(err_.str().find("no node 'elsewhere' in the plan (nodes: n1)"), std::string::npos)
      << err_.str();
  auto args = Common("verify");
  args.insert(args.end(), {"--node", "n2"});
  EXPECT_EQ(Run(args), kExitBadPlan);
  EXPECT_TRUE(runner_.calls().empty());
  EXPECT_EQ(Run({"apply"}), kExitBadPlan);
  EXPECT_NE(err_.str().find("--plan FILE is required"), std::string::npos);
  EXPECT_EQ(Run({"frobnicate", "--plan", plan_path_}), kExitBadPlan);
  EXPECT_EQ(Run({"plan", "--plan", plan_path_, "--bogus"}), kExitBadPlan);
  EXPECT_EQ(Run({"plan", "--plan", dir_.path() + "/none.toml"}), kExitBadPlan);
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_NE(out_.str().find("usage: hai-netconf"), std::string::npos);
  EXPECT_TRUE(runner_.calls().empty());
}

TEST_F(CliTest, PersistFailureIsExit1) {
  // The fake knows no systemctl: "not found".
  EXPECT_EQ(Run(Common("persist")), kExitNotOk);
  EXPECT_NE(err_.str().find("systemctl"), std::string::npos) << err_.str();
  runner_.AddOutput({"systemctl", "--root=" + dir_.path(), "enable", "hai-netconf.service"}, "");
  EXPECT_EQ(Run(Common("persist")), kExitOk) << err_.str();
}

}  // namespace
}  // namespace hai::netconf
