#include "daemons/agent/agent_config.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "lib/cluster/wire.h"
#include "lib/http/url.h"
#include "lib/log/log.h"
#include "lib/proc/child.h"

namespace hai::agent {

Result<AgentConfig> ReadAgentConfig(const config::File& file) {
  AgentConfig c;
  HAI_RETURN_IF_ERROR(file.CheckSections(config::KnownSections()));
  config::Section s = file.Get("agent");
  std::vector<std::string> labels;
  s.Read("node_name", &c.node_name);
  s.Read("listen", &c.listen);
  s.Read("port", &c.port, 0, 65535);
  s.Read("advertise_url", &c.advertise_url);
  s.Read("scheduler_url", &c.scheduler_url);
  s.Read("data_dir", &c.data_dir);
  s.Read("profile", &c.profile);
  s.Read("sysfs_root", &c.sysfs_root);
  s.Read("heartbeat_interval_ms", &c.heartbeat_interval_ms, 200, 60000);
  s.Read("labels", &labels);
  s.Read("engine_profiles_dir", &c.engine_profiles_dir);
  s.Read("engine_port_first", &c.engine_port_first, 1, 65535);
  s.Read("engine_port_last", &c.engine_port_last, 1, 65535);
  s.Read("stop_grace_s", &c.stop_grace_s, 1, 3600);
  s.Read("log_max_bytes", &c.log_max_bytes, 4096, int64_t{1} << 40);
  s.Read("log_keep", &c.log_keep, 0, 100);
  s.Read("restart_backoff_s", &c.restart_backoff_s, 1, 3600);
  s.Read("restart_backoff_max_s", &c.restart_backoff_max_s, 1, 86400);
  s.Read("model_fetch", &c.model_fetch);
  s.Read("model_cache_dir", &c.model_cache_dir);
  s.Read("model_cache_max_gib", &c.model_cache_max_gib, 0, int64_t{1} << 20);
  HAI_RETURN_IF_ERROR(s.Finish());
  for (const std::string& l : labels) {
    size_t eq = l.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::InvalidArgument(file.source() + ": agent.labels: '" + l +
                                         "' is not key=value",
                                     "agent.labels");
    c.labels[l.substr(0, eq)] = l.substr(eq + 1);
  }
  config::Section log = file.Get("log");
  log.Read("level", &c.log_level);
  HAI_RETURN_IF_ERROR(log.Finish());
  config::Section cluster = file.Get("cluster");
  std::string ignored;
  cluster.Read("token_file", &c.cluster_token_file);
  cluster.Read("portal_url", &ignored);
  cluster.Read("scheduler_url", &ignored);
  // The CA other daemons' clients trust for https:// URLs; this daemon only
  // speaks plain HTTP on the cluster network.
  cluster.Read("ca_file", &ignored);
  HAI_RETURN_IF_ERROR(cluster.Finish());
  HAI_RETURN_IF_ERROR(FinishAgentConfig(&c, file.source()));
  return c;
}

Status FinishAgentConfig(AgentConfig* c, const std::string& source) {
  if (c->node_name.empty()) {
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    c->node_name = host;
    std::transform(c->node_name.begin(), c->node_name.end(), c->node_name.begin(), ::tolower);
  }
  if (Status st = cluster::CheckNodeName(c->node_name); !st.ok())
    return Status::InvalidArgument(source + ": agent.node_name: " + st.message(), "agent.node_name");
  HAI_RETURN_IF_ERROR(http::ParseHttpUrl(c->scheduler_url, source + ": agent.scheduler_url").status());
  if (!c->advertise_url.empty())
    HAI_RETURN_IF_ERROR(http::ParseHttpUrl(c->advertise_url, source + ": agent.advertise_url").status());
  if (c->engine_port_first > c->engine_port_last)
    return Status::InvalidArgument(
        source + ": agent.engine_port_last: must not be below engine_port_first",
        "agent.engine_port_last");
  if (c->restart_backoff_max_s < c->restart_backoff_s)
    return Status::InvalidArgument(
        source + ": agent.restart_backoff_max_s: must not be below restart_backoff_s",
        "agent.restart_backoff_max_s");
  if (c->model_fetch != "auto" && c->model_fetch != "always" && c->model_fetch != "never")
    return Status::InvalidArgument(
        source + ": agent.model_fetch: expected \"auto\", \"always\" or \"never\", got \"" +
            c->model_fetch + "\"",
        "agent.model_fetch");
  if (!c->model_cache_dir.empty() && c->model_cache_dir.front() != '/')
    return Status::InvalidArgument(source + ": agent.model_cache_dir: must be an absolute path",
                                   "agent.model_cache_dir");
  bool ok = false;
  log::ParseLevel(c->log_level, &ok);
  if (!ok) return Status::InvalidArgument(source + ": log.level: expected debug, info, warning or error", "log.level");
  return Status::Ok();
}

std::string AgentConfig::EngineProfilesDir() const {
  if (!engine_profiles_dir.empty()) return engine_profiles_dir;
  std::error_code ec;
  std::filesystem::path staged = std::filesystem::path(proc::SelfDirectory()).parent_path() /
                                 "share" / "hai" / "profiles" / "engines";
  if (std::filesystem::is_directory(staged, ec)) return staged.string();
  return "/usr/share/hai/profiles/engines";
}

std::string AgentConfig::EngineHost() const {
  if (!advertise_url.empty()) {
    auto url = http::ParseHttpUrl(advertise_url, "agent.advertise_url");
    if (url.ok()) return url->host;
  }
  return listen;
}

}  // namespace hai::agent
