#include "daemons/agent/agent_config.h"

#include <unistd.h>

#include <algorithm>
#include <vector>

#include "lib/cluster/wire.h"
#include "lib/http/url.h"
#include "lib/log/log.h"

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
  bool ok = false;
  log::ParseLevel(c->log_level, &ok);
  if (!ok) return Status::InvalidArgument(source + ": log.level: expected debug, info, warning or error", "log.level");
  return Status::Ok();
}

}  // namespace hai::agent
