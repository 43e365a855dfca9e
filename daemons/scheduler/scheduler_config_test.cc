#include "daemons/scheduler/scheduler_config.h"

#include <gtest/gtest.h>

namespace hai::scheduler {
namespace {

Result<SchedulerConfig> Parse(const std::string& text) {
  auto file = config::File::Parse(text, "hai.toml");
  if (!file.ok()) return file.status();
  return ReadSchedulerConfig(*file);
}

TEST(SchedulerConfigTest, AcceptsTheSharedClusterKeys) {
  // The [cluster] table every daemon reads, as hai-install writes it with TLS on.
  auto c = Parse(
      "[cluster]\ntoken_file = \"/var/lib/hai/cluster-token\"\n"
      "portal_url = \"https://10.0.0.1:8080\"\nscheduler_url = \"http://10.0.0.1:7001\"\n"
      "ca_file = \"/etc/hai/tls/ca.crt\"\n[scheduler]\nport = 7001\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->TokenPath(), "/var/lib/hai/cluster-token");
  auto typo = Parse("[cluster]\nca_flie = \"/etc/hai/tls/ca.crt\"\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("cluster.ca_flie"), std::string::npos);
}

}  // namespace
}  // namespace hai::scheduler
