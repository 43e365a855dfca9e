#include "daemons/gateway/gateway_config.h"

#include <gtest/gtest.h>

namespace hai::gateway {
namespace {

Result<GatewayConfig> Parse(const std::string& text) {
  auto file = config::File::Parse(text, "hai.toml");
  if (!file.ok()) return file.status();
  return ReadGatewayConfig(*file);
}

TEST(GatewayConfigTest, DefaultsAreTheInstalledLayout) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->port, 8000);
  EXPECT_EQ(c->listen, "127.0.0.1");
  EXPECT_EQ(c->TokenPath(), "/var/lib/hai/cluster-token");
  EXPECT_EQ(c->PortalUrl(), "http://127.0.0.1:8080");
  EXPECT_EQ(c->SchedulerUrl(), "http://127.0.0.1:7001");
  EXPECT_EQ(c->retries, 2);
  EXPECT_LE(c->key_cache_ttl_ms, 5000) << "revocation must take effect within 5 s";
  EXPECT_EQ(c->scorer, "least_outstanding");
  EXPECT_EQ(c->call_log_queue, 100000);
  EXPECT_EQ(c->call_log_batch, 1000);
  EXPECT_EQ(c->call_log_flush_ms, 1000);
}

TEST(GatewayConfigTest, ReadsItsSectionAndTheClusterOne) {
  auto c = Parse(
      "[cluster]\nportal_url = \"http://10.0.0.1:8080\"\nscheduler_url = \"http://10.0.0.1:7001\"\n"
      "token_file = \"/etc/hai/token\"\n"
      "[gateway]\nport = 9000\nlisten = \"0.0.0.0\"\nmax_body_bytes = 65536\nretries = 1\n"
      "key_cache_ttl_ms = 1000\neject_ms = 500\nmax_eject_ms = 4000\nthreads = 16\n"
      "call_log_queue = 500\ncall_log_batch = 50\ncall_log_flush_ms = 100\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->port, 9000);
  EXPECT_EQ(c->listen, "0.0.0.0");
  EXPECT_EQ(c->max_body_bytes, 65536);
  EXPECT_EQ(c->retries, 1);
  EXPECT_EQ(c->key_cache_ttl_ms, 1000);
  EXPECT_EQ(c->call_log_queue, 500);
  EXPECT_EQ(c->call_log_batch, 50);
  EXPECT_EQ(c->call_log_flush_ms, 100);
  EXPECT_EQ(c->TokenPath(), "/etc/hai/token");
  EXPECT_EQ(c->PortalUrl(), "http://10.0.0.1:8080");
  EXPECT_EQ(c->SchedulerUrl(), "http://10.0.0.1:7001");
  // The gateway's own URLs win over the cluster's.
  c = Parse(
      "[cluster]\nportal_url = \"http://10.0.0.1:8080\"\n"
      "[gateway]\nportal_url = \"http://127.0.0.1:18080\"\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->PortalUrl(), "http://127.0.0.1:18080");
}

TEST(GatewayConfigTest, ErrorsNameTheFileAndTheKey) {
  auto expect = [](const std::string& text, const std::string& words) {
    auto c = Parse(text);
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_NE(c.status().message().find("hai.toml"), std::string::npos) << c.status().message();
    EXPECT_NE(c.status().message().find(words), std::string::npos) << c.status().message();
  };
  expect("[gateway]\nprot = 1\n", "gateway.prot");
  expect("[gateway]\nport = 70000\n", "gateway.port");
  expect("[gateway]\nkey_cache_ttl_ms = 60000\n", "gateway.key_cache_ttl_ms");
  expect("[gateway]\nretries = \"two\"\n", "gateway.retries");
  expect("[gateway]\nscorer = \"round_robin\"\n", "gateway.scorer");
  expect("[gateway]\neject_ms = 5000\nmax_eject_ms = 1000\n", "gateway.max_eject_ms");
  expect("[gateway]\nportal_url = \"ftp://x\"\n", "gateway.portal_url");
  expect("[gateway]\nportal_url = \"https://x/v1\"\n", "gateway.portal_url");
  expect("[gateway]\nscheduler_url = \"https://x:7001\"\n", "gateway.scheduler_url");
  expect("[cluster]\nscheduler_url = \"localhost:7001\"\n", "cluster.scheduler_url");
  expect("[log]\nlevel = \"loud\"\n", "log.level");
  expect("[gateway]\ncall_log_queue = 0\n", "gateway.call_log_queue");
  expect("[gateway]\ncall_log_batch = 2001\n", "gateway.call_log_batch");
  expect("[gateway]\ncall_log_flush_ms = 5\n", "gateway.call_log_flush_ms");
  expect("[gateway]\ncall_log_queue = 10\ncall_log_batch = 20\n", "gateway.call_log_batch");
  expect("[gatway]\nport = 1\n", "gatway");
}

TEST(GatewayConfigTest, TlsKeysAndAnHttpsPortal) {
  auto c = Parse(
      "[cluster]\nportal_url = \"https://hai-1:8080\"\nca_file = \"/etc/hai/tls/ca.crt\"\n"
      "[gateway]\ntls_cert_file = \"/etc/hai/tls/hai.crt\"\n"
      "tls_key_file = \"/etc/hai/tls/hai.key\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->PortalUrl(), "https://hai-1:8080");
  EXPECT_EQ(c->cluster_ca_file, "/etc/hai/tls/ca.crt");
  EXPECT_EQ(c->tls_cert_file, "/etc/hai/tls/hai.crt");
  EXPECT_EQ(c->tls_key_file, "/etc/hai/tls/hai.key");
  auto defaults = Parse("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->tls_cert_file, "");
  EXPECT_EQ(defaults->cluster_ca_file, "");
  // Both or neither.
  auto half = Parse("[gateway]\ntls_cert_file = \"/etc/hai/tls/hai.crt\"\n");
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.status().field(), "gateway.tls_key_file");
  EXPECT_EQ(half.status().message(),
            "hai.toml: gateway.tls_key_file: must be set when gateway.tls_cert_file is (HTTPS "
            "needs both)");
  EXPECT_EQ(Parse("[gateway]\ntls_key_file = \"/k\"\n").status().field(), "gateway.tls_cert_file");
  // The scheduler stays plain HTTP on the cluster network.
  auto scheduler = Parse("[cluster]\nscheduler_url = \"https://hai-1:7001\"\n");
  ASSERT_FALSE(scheduler.ok());
  EXPECT_NE(scheduler.status().message().find("cluster.scheduler_url"), std::string::npos);
}

}  // namespace
}  // namespace hai::gateway
