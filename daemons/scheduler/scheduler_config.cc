#include "daemons/scheduler/scheduler_config.h"

#include "lib/log/log.h"

namespace hai::scheduler {

Result<SchedulerConfig> ReadSchedulerConfig(const config::File& file) {
  SchedulerConfig c;
  HAI_RETURN_IF_ERROR(file.CheckSections(config::KnownSections()));
  config::Section s = file.Get("scheduler");
  s.Read("data_dir", &c.data_dir);
  s.Read("listen", &c.listen);
  s.Read("port", &c.port, 0, 65535);
  s.Read("threads", &c.threads, 1, 256);
  s.Read("max_body_bytes", &c.max_body_bytes, 1024, int64_t{64} << 20);
  s.Read("heartbeat_timeout_ms", &c.heartbeat_timeout_ms, 1000, 600000);
  HAI_RETURN_IF_ERROR(s.Finish());
  config::Section log = file.Get("log");
  log.Read("level", &c.log_level);
  HAI_RETURN_IF_ERROR(log.Finish());
  bool ok = false;
  log::ParseLevel(c.log_level, &ok);
  if (!ok)
    return Status::InvalidArgument(file.source() + ": log.level: expected debug, info, warning or error",
                                   "log.level");
  config::Section cluster = file.Get("cluster");
  std::string ignored;
  cluster.Read("token_file", &c.cluster_token_file);
  cluster.Read("portal_url", &ignored);
  cluster.Read("scheduler_url", &ignored);
  // The CA other daemons' clients trust for https:// URLs; this daemon only
  // speaks plain HTTP on the cluster network.
  cluster.Read("ca_file", &ignored);
  HAI_RETURN_IF_ERROR(cluster.Finish());
  return c;
}

}  // namespace hai::scheduler
