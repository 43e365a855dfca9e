#include "daemons/portal/portal_config.h"

#include <gtest/gtest.h>

namespace hai::portal {
namespace {

Result<PortalConfig> Parse(const std::string& text) {
  auto file = config::File::Parse(text, "hai.toml");
  if (!file.ok()) return file.status();
  return ReadPortalConfig(*file);
}

TEST(PortalConfigTest, DefaultsAndOverrides) {
  auto c = Parse("[portal]\nport = 9000\ndata_dir = \"/srv/hai\"\n[log]\nlevel = \"debug\"\n"
                 "[gateway]\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->port, 9000);
  EXPECT_EQ(c->DatabasePath(), "/srv/hai/hai.db");
  EXPECT_EQ(c->TokenPath(), "/srv/hai/cluster-token");
  EXPECT_EQ(c->audit_retention_days, 180);
  EXPECT_EQ(c->lockout_failures, 5);
}

TEST(PortalConfigTest, RetentionBelow180NeedsOverride) {
  auto c = Parse("[portal]\naudit_retention_days = 30\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "portal.audit_retention_days");
  auto ok = Parse("[portal]\naudit_retention_days = 30\naudit_retention_override = true\n");
  EXPECT_TRUE(ok.ok());
}

TEST(PortalConfigTest, CallLogRetention) {
  auto defaults = Parse("[portal]\n");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->call_log_retention_days, 30);
  EXPECT_EQ(defaults->monitoring_retention_days, 400);
  EXPECT_EQ(defaults->max_body_bytes, 8 << 20);  // a gateway's call-log batch fits
  auto c = Parse("[portal]\ncall_log_retention_days = 7\nmonitoring_retention_days = 90\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->call_log_retention_days, 7);
  EXPECT_EQ(c->monitoring_retention_days, 90);
  EXPECT_EQ(Parse("[portal]\ncall_log_retention_days = 0\n").status().field(),
            "portal.call_log_retention_days");
  EXPECT_EQ(Parse("[portal]\nmonitoring_retention_days = \"long\"\n").status().field(),
            "portal.monitoring_retention_days");
}

TEST(PortalConfigTest, BadKeysAreNamed) {
  EXPECT_EQ(Parse("[portal]\nprot = 1\n").status().message(), "hai.toml: portal.prot: unknown key");
  EXPECT_EQ(Parse("[log]\nlevel = \"loud\"\n").status().field(), "log.level");
  EXPECT_EQ(Parse("[portal]\npassword_min_length = 6\n").status().field(),
            "portal.password_min_length");
  EXPECT_EQ(Parse("[portl]\n").status().field(), "portl");
  EXPECT_EQ(Parse("[portal]\ngateway_url = \"vip:8000\"\n").status().field(),
            "portal.gateway_url");
  auto gateway = Parse("[portal]\ngateway_url = \"http://10.0.0.5:8000\"\n");
  ASSERT_TRUE(gateway.ok()) << gateway.status().ToString();
  EXPECT_EQ(gateway->gateway_url, "http://10.0.0.5:8000");
}

TEST(PortalConfigTest, TlsKeysAndAnHttpsGateway) {
  auto c = Parse(
      "[cluster]\nca_file = \"/etc/hai/tls/ca.crt\"\n"
      "[portal]\ntls_cert_file = \"/etc/hai/tls/hai.crt\"\n"
      "tls_key_file = \"/etc/hai/tls/hai.key\"\n"
      "gateway_url = \"https://10.0.0.5:8000\"\nsecure_cookies = true\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->tls_cert_file, "/etc/hai/tls/hai.crt");
  EXPECT_EQ(c->tls_key_file, "/etc/hai/tls/hai.key");
  EXPECT_EQ(c->ca_file, "/etc/hai/tls/ca.crt");
  EXPECT_EQ(c->gateway_url, "https://10.0.0.5:8000");
  auto half = Parse("[portal]\ntls_key_file = \"/etc/hai/tls/hai.key\"\n");
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.status().field(), "portal.tls_cert_file");
  EXPECT_EQ(half.status().message(),
            "hai.toml: portal.tls_cert_file: must be set when portal.tls_key_file is (HTTPS "
            "needs both)");
  EXPECT_EQ(Parse("[cluster]\nscheduler_url = \"https://10.0.0.1:7001\"\n").status().field(),
            "hai.toml: cluster.scheduler_url");
}

}  // namespace
}  // namespace hai::portal
