// The hai.toml hai-install writes, read back by each daemon's own config
// loader: every key it writes is one the daemon accepts (they reject unknown
// keys), for both roles, with TLS on and off.
#include "installer/hai-install/hai_toml.h"

#include <gtest/gtest.h>

#include "daemons/agent/agent_config.h"
#include "daemons/gateway/gateway_config.h"
#include "daemons/portal/portal_config.h"
#include "daemons/scheduler/scheduler_config.h"
#include "installer/hai-install/test_root.h"

namespace hai::install {
namespace {

struct Rendered {
  std::string text;
  config::File file;
};

Rendered Render(const std::string& toml, bool has_ca, const std::string& profile = "") {
  TestRoot root;
  auto in = TestInput(toml, root.path());
  EXPECT_TRUE(in.ok()) << in.status().ToString();
  std::string text = RenderHaiToml(*in, HaiTomlInputs{profile, has_ca});
  auto file = config::File::Parse(text, "hai.toml");
  EXPECT_TRUE(file.ok()) << file.status().ToString() << "\n" << text;
  return {text, std::move(file).value()};
}

const std::string kWorkerNoTls = std::string(kControlToml).substr(0, 0) +
                                 "[node]\nname = \"hai-2\"\nrole = \"worker\"\n"
                                 "address = \"10.0.0.2\"\n[cluster]\n"
                                 "addresses = [\"10.0.0.1\", \"10.0.0.2\"]\nvip = \"10.0.0.100\"\n"
                                 "token_file = \"/t\"\n[tls]\nmode = \"off\"\n";

TEST(HaiTomlTest, ControlNodeWithTlsIsAcceptedByEveryDaemon) {
  Rendered r =
      Render(std::string(kControlToml) + "vip = \"10.0.0.100\"\n[log]\nlevel = \"debug\"\n", true,
             "/usr/share/hai/profiles/nodes/cpu-only.toml");
  auto portal = portal::ReadPortalConfig(r.file);
  ASSERT_TRUE(portal.ok()) << portal.status().ToString() << "\n" << r.text;
  EXPECT_EQ(portal->listen, "0.0.0.0");
  EXPECT_EQ(portal->port, 8080);
  EXPECT_EQ(portal->gateway_url, "https://10.0.0.100:8000") << "the VIP";
  EXPECT_TRUE(portal->secure_cookies);
  EXPECT_EQ(portal->scheduler_url, "http://10.0.0.1:7001");
  EXPECT_EQ(portal->log_level, "debug");
  EXPECT_EQ(portal->TokenPath(), "/var/lib/hai/cluster-token");

  auto scheduler = scheduler::ReadSchedulerConfig(r.file);
  ASSERT_TRUE(scheduler.ok()) << scheduler.status().ToString();
  EXPECT_EQ(scheduler->listen, "0.0.0.0");
  EXPECT_EQ(scheduler->port, 7001);

  auto agent = agent::ReadAgentConfig(r.file);
  ASSERT_TRUE(agent.ok()) << agent.status().ToString();
  EXPECT_EQ(agent->node_name, "hai-1");
  EXPECT_EQ(agent->advertise_url, "http://10.0.0.1:7002");
  EXPECT_EQ(agent->scheduler_url, "http://10.0.0.1:7001");
  EXPECT_EQ(agent->profile, "/usr/share/hai/profiles/nodes/cpu-only.toml");

  auto gateway = gateway::ReadGatewayConfig(r.file);
  ASSERT_TRUE(gateway.ok()) << gateway.status().ToString();
  EXPECT_EQ(gateway->listen, "0.0.0.0");
  EXPECT_EQ(gateway->port, 8000);
  EXPECT_EQ(gateway->PortalUrl(), "https://10.0.0.1:8080");
  EXPECT_EQ(gateway->SchedulerUrl(), "http://10.0.0.1:7001");

  for (const char* line :
       {"ca_file = \"/etc/hai/tls/ca.crt\"", "tls_cert_file = \"/etc/hai/tls/hai.crt\"",
        "tls_key_file = \"/etc/hai/tls/hai.key\""})
    EXPECT_NE(r.text.find(line), std::string::npos) << line;
}

TEST(HaiTomlTest, ControlNodeWithoutTls) {
  Rendered r = Render(std::string(kControlToml) + "[tls]\nmode = \"off\"\n", false);
  auto portal = portal::ReadPortalConfig(r.file);
  ASSERT_TRUE(portal.ok()) << portal.status().ToString();
  EXPECT_EQ(portal->gateway_url, "http://10.0.0.1:8000");
  EXPECT_FALSE(portal->secure_cookies);
  EXPECT_EQ(r.text.find("tls_"), std::string::npos);
  EXPECT_EQ(r.text.find("ca_file"), std::string::npos);
  EXPECT_TRUE(scheduler::ReadSchedulerConfig(r.file).ok());
  EXPECT_TRUE(agent::ReadAgentConfig(r.file).ok());
  auto gateway = gateway::ReadGatewayConfig(r.file);
  ASSERT_TRUE(gateway.ok()) << gateway.status().ToString();
  EXPECT_EQ(gateway->PortalUrl(), "http://10.0.0.1:8080");
}

TEST(HaiTomlTest, WorkerNodeOnlyHasItsDaemons) {
  Rendered r = Render(kWorkerNoTls, false);
  EXPECT_EQ(r.text.find("[portal]"), std::string::npos);
  EXPECT_EQ(r.text.find("[scheduler]"), std::string::npos);
  auto agent = agent::ReadAgentConfig(r.file);
  ASSERT_TRUE(agent.ok()) << agent.status().ToString();
  EXPECT_EQ(agent->node_name, "hai-2");
  EXPECT_EQ(agent->advertise_url, "http://10.0.0.2:7002");
  EXPECT_EQ(agent->scheduler_url, "http://10.0.0.1:7001");
  EXPECT_EQ(agent->profile, "");
  auto gateway = gateway::ReadGatewayConfig(r.file);
  ASSERT_TRUE(gateway.ok()) << gateway.status().ToString();
  EXPECT_EQ(gateway->PortalUrl(), "http://10.0.0.1:8080");
}

TEST(HaiTomlTest, WorkerNodeWithTheClustersCertificate) {
  std::string toml = kWorkerNoTls.substr(0, kWorkerNoTls.find("[tls]")) +
                     "[tls]\ncert_file = \"/root/hai.crt\"\nkey_file = \"/root/hai.key\"\n"
                     "[agent]\nlabels = [\"rack=r2\", \"zone=icu\"]\n";
  Rendered r = Render(toml, true);
  auto agent = agent::ReadAgentConfig(r.file);
  ASSERT_TRUE(agent.ok()) << agent.status().ToString();
  EXPECT_EQ(agent->labels.at("zone"), "icu");
  auto gateway = gateway::ReadGatewayConfig(r.file);
  ASSERT_TRUE(gateway.ok()) << gateway.status().ToString();
  EXPECT_EQ(gateway->PortalUrl(), "https://10.0.0.1:8080");
}

TEST(HaiTomlTest, StringsAreQuoted) { EXPECT_EQ(TomlString("a\"b\\c"), "\"a\\\"b\\\\c\""); }

}  // namespace
}  // namespace hai::install
