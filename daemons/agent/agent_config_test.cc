#include "daemons/agent/agent_config.h"

#include <gtest/gtest.h>

namespace hai::agent {
namespace {

Result<AgentConfig> Parse(const std::string& text) {
  auto file = config::File::Parse(text, "hai.toml");
  if (!file.ok()) return file.status();
  return ReadAgentConfig(*file);
}

TEST(AgentConfigTest, ReplicaKeysHaveDefaultsAndCanBeSet) {
  auto defaults = Parse("[agent]\nnode_name = \"n1\"\n");
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(defaults->engine_port_first, 21000);
  EXPECT_EQ(defaults->engine_port_last, 21999);
  EXPECT_EQ(defaults->stop_grace_s, 10);
  EXPECT_EQ(defaults->log_max_bytes, 50 << 20);
  EXPECT_EQ(defaults->log_keep, 3);
  EXPECT_EQ(defaults->restart_backoff_s, 10);
  EXPECT_EQ(defaults->restart_backoff_max_s, 300);
  EXPECT_EQ(defaults->ReplicasDir(), "/var/lib/hai/replicas/n1");
  EXPECT_EQ(defaults->EngineHost(), "127.0.0.1");
  EXPECT_EQ(defaults->model_fetch, "auto");
  EXPECT_EQ(defaults->ModelCacheDir(), "/var/lib/hai/model-cache");
  EXPECT_EQ(defaults->model_cache_max_gib, 0);

  auto set = Parse(
      "[agent]\nnode_name = \"n1\"\nengine_profiles_dir = \"/p\"\nengine_port_first = 30000\n"
      "engine_port_last = 30009\nstop_grace_s = 2\nlog_max_bytes = 8192\nlog_keep = 0\n"
      "restart_backoff_s = 1\nrestart_backoff_max_s = 4\n"
      "advertise_url = \"http://10.0.0.7:7002\"\n"
      "model_fetch = \"always\"\nmodel_cache_dir = \"/srv/cache\"\nmodel_cache_max_gib = 200\n");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->EngineProfilesDir(), "/p");
  EXPECT_EQ(set->engine_port_last, 30009);
  EXPECT_EQ(set->log_keep, 0);
  EXPECT_EQ(set->EngineHost(), "10.0.0.7");
  EXPECT_EQ(set->model_fetch, "always");
  EXPECT_EQ(set->ModelCacheDir(), "/srv/cache");
  EXPECT_EQ(set->model_cache_max_gib, 200);
}

TEST(AgentConfigTest, BadReplicaKeysNameTheKey) {
  struct Case {
    const char* text;
    const char* key;
  };
  const Case cases[] = {
      {"engine_port_first = 30010\nengine_port_last = 30000\n", "agent.engine_port_last"},
      {"restart_backoff_s = 60\nrestart_backoff_max_s = 30\n", "agent.restart_backoff_max_s"},
      {"stop_grace_s = 0\n", "agent.stop_grace_s"},
      {"log_max_bytes = 10\n", "agent.log_max_bytes"},
      {"engine_port_first = \"21000\"\n", "agent.engine_port_first"},
      {"engine_prots_first = 1\n", "agent.engine_prots_first"},
      {"model_fetch = \"sometimes\"\n", "agent.model_fetch"},
      {"model_fetch = true\n", "agent.model_fetch"},
      {"model_cache_dir = \"relative/cache\"\n", "agent.model_cache_dir"},
      {"model_cache_max_gib = -1\n", "agent.model_cache_max_gib"},
  };
  for (const Case& c : cases) {
    auto r = Parse(std::string("[agent]\nnode_name = \"n1\"\n") + c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.key), std::string::npos)
        << c.text << ": " << r.status().message();
    EXPECT_NE(r.status().message().find("hai.toml"), std::string::npos) << r.status().message();
  }
}

TEST(AgentConfigTest, AcceptsTheClusterCaFile) {
  // hai-install writes [cluster] ca_file for the daemons that call https://
  // URLs; the agent shares the file and must not reject it.
  auto c = Parse("[cluster]\nca_file = \"/etc/hai/tls/ca.crt\"\n[agent]\nnode_name = \"n1\"\n");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(Parse("[cluster]\nca_fil = \"x\"\n[agent]\nnode_name = \"n1\"\n").ok());
}

}  // namespace
}  // namespace hai::agent
