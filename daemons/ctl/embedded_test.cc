#include "daemons/ctl/embedded.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "daemons/agent/agent_config.h"
#include "daemons/gateway/gateway_config.h"
#include "daemons/portal/portal_config.h"

namespace hai::ctl {
namespace {

TEST(EmbeddedTest, PortsDeriveFromBase) {
  PortMap p = PortMap::FromBase(9000);
  EXPECT_EQ(p.portal, 9000);
  EXPECT_EQ(p.gateway, 9001);
  EXPECT_EQ(p.agent_base, 9010);
  EXPECT_EQ(p.engine_base, 9100);
}

TEST(EmbeddedTest, ConfigIsAcceptedByThePortal) {
  UpOptions o;
  o.data_dir = "/tmp/with \"quote\"";
  o.share_dir = "/usr/share/hai";
  auto file = config::File::Parse(EmbeddedConfig(o, PortMap::FromBase(9000)), "hai.toml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto c = portal::ReadPortalConfig(*file);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->port, 9000);
  EXPECT_EQ(c->data_dir, "/tmp/with \"quote\"");
  EXPECT_EQ(c->listen, "127.0.0.1");
  EXPECT_EQ(c->gateway_url, "http://127.0.0.1:9001");
}

TEST(EmbeddedTest, ConfigIsAcceptedByTheGateway) {
  UpOptions o;
  o.data_dir = "/tmp/d";
  o.share_dir = "/usr/share/hai";
  auto file = config::File::Parse(EmbeddedConfig(o, PortMap::FromBase(9000)), "hai.toml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto c = gateway::ReadGatewayConfig(*file);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->port, 9001);
  EXPECT_EQ(c->listen, "127.0.0.1");
  EXPECT_EQ(c->PortalUrl(), "http://127.0.0.1:9000");
  EXPECT_EQ(c->SchedulerUrl(), "http://127.0.0.1:9002");
  EXPECT_EQ(c->TokenPath(), "/tmp/d/cluster-token");
}

TEST(EmbeddedTest, AgentConfigsAreAcceptedByTheAgent) {
  UpOptions o;
  o.data_dir = "/tmp/d";
  o.share_dir = "/usr/share/hai";
  for (size_t i = 0; i < EmbeddedNodes().size(); ++i) {
    auto file = config::File::Parse(EmbeddedAgentConfig(o, PortMap::FromBase(9000), i), "agent.toml");
    ASSERT_TRUE(file.ok());
    auto c = agent::ReadAgentConfig(*file);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->port, 9010 + static_cast<int>(i));
    EXPECT_EQ(c->scheduler_url, "http://127.0.0.1:9002");
    EXPECT_EQ(c->node_name, EmbeddedNodes()[i].name);
    EXPECT_NE(c->profile.find("/usr/share/hai/profiles/nodes/"), std::string::npos);
    EXPECT_EQ(c->engine_profiles_dir, "/usr/share/hai/profiles/engines");
    // Engine ports: from 9100, a block of 20 per node.
    EXPECT_EQ(c->engine_port_first, 9100 + 20 * static_cast<int>(i));
    EXPECT_EQ(c->engine_port_last, c->engine_port_first + 19);
  }
}

TEST(EmbeddedTest, ReadyLineCarriesThePassword) {
  std::string file = "/tmp/hai-ready-test-" + std::to_string(getpid());
  std::ofstream(file) << "s3cret-pass\n";
  auto line = nlohmann::json::parse(
      ReadyLine(PortMap::FromBase(8080), file, "/d", "http://127.0.0.1:8187"));
  EXPECT_EQ(line["ready"], true);
  EXPECT_EQ(line["portal"], "http://127.0.0.1:8080");
  EXPECT_EQ(line["admin_user"], "admin");
  EXPECT_EQ(line["admin_password"], "s3cret-pass");
  EXPECT_EQ(line["engine"], "http://127.0.0.1:8187");
  EXPECT_EQ(line["model"], "demo");
  EXPECT_EQ(line["service"], "demo");
  EXPECT_EQ(line["gateway"], "http://127.0.0.1:8081");
  std::filesystem::remove(file);
  auto gone = nlohmann::json::parse(ReadyLine(PortMap::FromBase(8080), file, "/d", ""));
  EXPECT_TRUE(gone["admin_password"].is_null());
  EXPECT_TRUE(gone["engine"].is_null());
}

TEST(EmbeddedTest, DemoModelsAreMadeInTheDataDir) {
  UpOptions o;
  o.data_dir = "/d";
  o.bin_dir = "/b";
  ASSERT_EQ(EmbeddedDemoModels().size(), 2u);
  std::vector<std::string> dirs;
  for (const DemoModel& m : EmbeddedDemoModels()) {
    auto init = DemoModelInitCommand(o, m);
    ASSERT_GE(init.size(), 6u);
    EXPECT_EQ(init[0], "/b/hai-model");
    EXPECT_EQ(init[1], "init");
    EXPECT_EQ(init[2], "--out");
    dirs.push_back(init[3]);
    EXPECT_EQ(init[4], "--arch");
  }
  // The folders the catalogue's demo cards name (weights_dir).
  EXPECT_EQ(dirs, (std::vector<std::string>{"/d/models/demo", "/d/models/demo-embedding"}));
  EXPECT_EQ(DemoModelInitCommand(o, EmbeddedDemoModels()[1])[5], "bert");
}

}  // namespace
}  // namespace hai::ctl
