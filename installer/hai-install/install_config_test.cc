#include "installer/hai-install/install_config.h"

#include <gtest/gtest.h>

namespace hai::install {
namespace {

Result<InstallConfig> Parse(const std::string& text, const std::string& host = "10.0.0.5") {
  auto file = config::File::Parse(text, "install.toml");
  if (!file.ok()) return file.status();
  return ReadInstallConfig(*file, host);
}

const char kMinimalControl[] = "[node]\nname = \"cp-1\"\nrole = \"control\"\n";

TEST(InstallConfigTest, OnlyNameAndRoleAreRequired) {
  auto c = Parse(kMinimalControl);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->name, "cp-1");
  EXPECT_TRUE(c->control());
  EXPECT_EQ(c->address, "10.0.0.5") << "the host's first global IPv4";
  EXPECT_EQ(c->control_address, "10.0.0.5");
  EXPECT_EQ(c->addresses, std::vector<std::string>{"10.0.0.5"});
  EXPECT_EQ(c->vip, "");
  EXPECT_EQ(c->token_file, "");
  EXPECT_EQ(c->data_dir, "/var/lib/hai");
  EXPECT_EQ(c->TokenPath(), "/var/lib/hai/cluster-token");
  EXPECT_TRUE(c->ntp_servers.empty());
  EXPECT_EQ(c->tuning_profile, "ascend-inference");
  EXPECT_EQ(c->isolcpus, "");
  EXPECT_EQ(c->nohz_full, "");
  EXPECT_EQ(c->tls_mode, TlsMode::kSelfSigned);
  EXPECT_EQ(c->tls_validity_days, 3650);
  EXPECT_TRUE(c->firewall_enabled);
  EXPECT_TRUE(c->admin_from.empty());
  EXPECT_EQ(c->ssh_port, 22);
  EXPECT_EQ(c->agent_profile, "");
  EXPECT_TRUE(c->agent_labels.empty());
  EXPECT_EQ(c->agent_device_groups, std::vector<std::string>{"HwHiAiUser"});
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->GatewayAddress(), "10.0.0.5");
}

TEST(InstallConfigTest, WorkerDefaultsFollowTheControlNode) {
  auto c = Parse(
      "[node]\nname = \"w-1\"\nrole = \"worker\"\naddress = \"10.0.0.2\"\n"
      "[cluster]\naddresses = [\"10.0.0.1\", \"10.0.0.2\"]\nvip = \"10.0.0.100\"\n"
      "token_file = \"/root/token\"\n[tls]\nmode = \"off\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->control());
  EXPECT_EQ(c->control_address, "10.0.0.1") << "the first of addresses";
  EXPECT_EQ(c->GatewayAddress(), "10.0.0.100") << "the VIP";
}

TEST(InstallConfigTest, ReadsEveryKey) {
  auto c = Parse(R"([node]
name = "cp-1"
role = "control"
address = "fd00::1"
[cluster]
control_address = "fd00::1"
addresses = ["fd00::1", "fd00::2"]
vip = "fd00::100"
token_file = "/root/token"
data_dir = "/srv/hai/"
[ntp]
servers = ["ntp1.hospital.local", "10.1.1.1"]
[tuning]
profile = "generic"
isolcpus = "managed_irq,domain,2-15"
nohz_full = "2-15"
[tls]
mode = "provided"
cert_file = "/root/hai.crt"
key_file = "/root/hai.key"
ca_file = "/root/ca.crt"
extra_names = ["hai.hospital.local"]
validity_days = 365
[firewall]
enabled = false
admin_from = ["10.20.0.0/16", "fd00:1::/64", "192.168.1.7"]
ssh_port = 2222
[agent]
profile = "ascend-910b3-x8"
labels = ["rack=r1"]
device_groups = ["HwHiAiUser", "render"]
[log]
level = "debug"
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->data_dir, "/srv/hai") << "a trailing slash is dropped";
  EXPECT_EQ(c->ntp_servers.size(), 2u);
  EXPECT_EQ(c->tuning_profile, "generic");
  EXPECT_EQ(c->isolcpus, "managed_irq,domain,2-15");
  EXPECT_EQ(c->tls_mode, TlsMode::kProvided);
  EXPECT_EQ(c->tls_ca_file, "/root/ca.crt");
  EXPECT_EQ(c->tls_validity_days, 365);
  EXPECT_FALSE(c->firewall_enabled);
  EXPECT_EQ(c->admin_from.size(), 3u);
  EXPECT_EQ(c->ssh_port, 2222);
  EXPECT_EQ(c->agent_profile, "ascend-910b3-x8");
  EXPECT_EQ(c->agent_device_groups, (std::vector<std::string>{"HwHiAiUser", "render"}));
  EXPECT_EQ(c->log_level, "debug");
}

// Each bad config is refused with an error that names the file and the key.
TEST(InstallConfigTest, ErrorsNameTheFileAndTheKey) {
  const std::string node = "[node]\nname = \"cp-1\"\nrole = \"control\"\naddress = \"10.0.0.1\"\n";
  const std::string worker = "[node]\nname = \"w-1\"\nrole = \"worker\"\naddress = \"10.0.0.2\"\n";
  struct Case {
    std::string text;
    std::string key;
    std::string words;
  };
  const std::vector<Case> cases = {
      {"[node]\nrole = \"control\"\n", "node.name", "required"},
      {"[node]\nname = \"Bad_Name\"\nrole = \"control\"\n", "node.name", ""},
      {"[node]\nname = \"cp-1\"\n", "node.role", "required"},
      {"[node]\nname = \"cp-1\"\nrole = \"master\"\n", "node.role", "\"master\""},
      {"[node]\nname = \"cp-1\"\nrole = \"control\"\naddress = \"host-1\"\n", "node.address",
       "not an IP address"},
      {"[node]\nname = \"cp-1\"\nrole = \"control\"\nadress = \"10.0.0.1\"\n", "node.adress",
       "unknown key"},
      {node + "[cluster]\naddresses = [\"10.0.0.2\"]\n", "cluster.addresses",
       "this node's address"},
      {node + "[cluster]\naddresses = [\"10.0.0.1\", \"10.0.0.300\"]\n", "cluster.addresses",
       "10.0.0.300"},
      {node + "[cluster]\naddresses = \"10.0.0.1\"\n", "cluster.addresses", "array"},
      {node + "[cluster]\nvip = \"vip\"\n", "cluster.vip", "not an IP address"},
      {node + "[cluster]\ndata_dir = \"var/lib/hai\"\n", "cluster.data_dir", "absolute"},
      {node + "[cluster]\ntoken_file = \"token\"\n", "cluster.token_file", "absolute"},
      {worker + "[cluster]\naddresses = [\"10.0.0.1\", \"10.0.0.2\"]\n", "cluster.token_file",
       "copy /var/lib/hai/cluster-token"},
      {worker + "[cluster]\ntoken_file = \"/t\"\n[tls]\nmode = \"off\"\n",
       "cluster.control_address", "control node's address"},
      {node + "[ntp]\nservers = [\"ntp 1\"]\n", "ntp.servers", "ntp 1"},
      {node + "[ntp]\nservers = [1]\n", "ntp.servers", "array of strings"},
      {node + "[tuning]\nprofile = \"../etc\"\n", "tuning.profile", "profile name"},
      {node + "[tuning]\nisolcpus = \"2-x\"\n", "tuning.isolcpus", "2-x"},
      {node + "[tuning]\nisolcpus = \"15-2\"\n", "tuning.isolcpus", "backwards"},
      {node + "[tuning]\nnohz_full = \"domain,2-15\"\n", "tuning.nohz_full", "domain"},
      {node + "[tls]\nmode = \"on\"\n", "tls.mode", "\"on\""},
      {node + "[tls]\nmode = \"provided\"\n", "tls.cert_file", "provided"},
      {node + "[tls]\nmode = \"provided\"\ncert_file = \"/c\"\n", "tls.key_file", "provided"},
      {node + "[tls]\nvalidity_days = 7\n", "tls.validity_days", "31 to 36500"},
      {worker + "[cluster]\naddresses = [\"10.0.0.1\", \"10.0.0.2\"]\ntoken_file = \"/t\"\n",
       "tls.cert_file", "control node's certificate"},
      {node + "[firewall]\nenabled = \"yes\"\n", "firewall.enabled", "true or false"},
      {node + "[firewall]\nadmin_from = [\"10.0.0.0/33\"]\n", "firewall.admin_from", "prefix"},
      {node + "[firewall]\nadmin_from = [\"everyone\"]\n", "firewall.admin_from", "everyone"},
      {node + "[firewall]\nssh_port = 0\n", "firewall.ssh_port", "1 to 65535"},
      {node + "[agent]\nlabels = [\"rack\"]\n", "agent.labels", "key=value"},
      {node + "[agent]\ndevice_groups = [\"video\", \"npu:x\"]\n", "agent.device_groups",
       "'npu:x' is not a group name"},
      {node + "[log]\nlevel = \"verbose\"\n", "log.level", "debug, info"},
      {node + "[nodes]\nname = \"x\"\n", "nodes", "unknown section"},
  };
  for (const Case& c : cases) {
    auto parsed = Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    const std::string& msg = parsed.status().message();
    EXPECT_EQ(msg.rfind("install.toml: " + c.key + ":", 0), 0u) << msg;
    EXPECT_EQ(parsed.status().field(), c.key) << msg;
    EXPECT_NE(msg.find(c.words), std::string::npos) << msg << " should say " << c.words;
  }
}

TEST(InstallConfigTest, AHostWithoutAnAddressNeedsOne) {
  auto c = Parse(kMinimalControl, "");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "node.address");
}

}  // namespace
}  // namespace hai::install

namespace hai::install {
namespace {

// The examples the packages install parse, and show the defaults.
TEST(InstallConfigTest, ExamplesParse) {
  const std::string dir = std::string(HAI_TEST_SOURCE_DIR) + "/installer/hai-install/examples/";
  auto control_file = config::File::Load(dir + "install-control.toml");
  ASSERT_TRUE(control_file.ok()) << control_file.status().ToString();
  auto control = ReadInstallConfig(*control_file, "10.20.0.11");
  ASSERT_TRUE(control.ok()) << control.status().ToString();
  auto defaults = Parse("[node]\nname = \"hai-1\"\nrole = \"control\"\n", "10.20.0.11");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(control->tuning_profile, defaults->tuning_profile);
  EXPECT_EQ(control->tls_mode, defaults->tls_mode);
  EXPECT_EQ(control->tls_validity_days, defaults->tls_validity_days);
  EXPECT_EQ(control->data_dir, defaults->data_dir);
  EXPECT_EQ(control->ssh_port, defaults->ssh_port);
  EXPECT_EQ(control->firewall_enabled, defaults->firewall_enabled);
  EXPECT_EQ(control->log_level, defaults->log_level);

  auto worker_file = config::File::Load(dir + "install-worker.toml");
  ASSERT_TRUE(worker_file.ok()) << worker_file.status().ToString();
  auto worker = ReadInstallConfig(*worker_file, "10.20.0.12");
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  EXPECT_EQ(worker->control_address, "10.20.0.11");
  EXPECT_EQ(worker->token_file, "/root/hai-join/cluster-token");
}

}  // namespace
}  // namespace hai::install
