#include "daemons/portal/portal_config.h"

#include "lib/http/url.h"
#include "lib/log/log.h"

namespace hai::portal {

Result<PortalConfig> ReadPortalConfig(const config::File& file) {
  PortalConfig c;
  HAI_RETURN_IF_ERROR(file.CheckSections(config::KnownSections()));
  config::Section p = file.Get("portal");
  p.Read("data_dir", &c.data_dir);
  p.Read("listen", &c.listen);
  p.Read("port", &c.port, 0, 65535);
  p.Read("threads", &c.threads, 1, 256);
  p.Read("max_body_bytes", &c.max_body_bytes, 1024, int64_t{1} << 34);
  p.Read("web_dir", &c.web_dir);
  p.Read("openapi_file", &c.openapi_file);
  p.Read("session_idle_minutes", &c.session_idle_minutes, 1, 24 * 60);
  p.Read("session_absolute_hours", &c.session_absolute_hours, 1, 24 * 30);
  p.Read("lockout_failures", &c.lockout_failures, 1, 100);
  p.Read("lockout_minutes", &c.lockout_minutes, 1, 24 * 60);
  p.Read("password_min_length", &c.password_min_length, 10, 128);
  p.Read("password_hash_ops", &c.password_hash_ops, 1, 10);
  p.Read("password_hash_memory_kib", &c.password_hash_memory_kib, 8, 1 << 20);
  p.Read("audit_retention_days", &c.audit_retention_days, 1, 36500);
  p.Read("audit_retention_override", &c.audit_retention_override);
  p.Read("secure_cookies", &c.secure_cookies);
  HAI_RETURN_IF_ERROR(p.Finish());
  config::Section log = file.Get("log");
  log.Read("level", &c.log_level);
  HAI_RETURN_IF_ERROR(log.Finish());
  config::Section cluster = file.Get("cluster");
  cluster.Read("token_file", &c.cluster_token_file);
  // [cluster] keys other daemons read; the portal accepts but does not use them.
  std::string ignored;
  cluster.Read("portal_url", &ignored);
  cluster.Read("scheduler_url", &c.scheduler_url);
  HAI_RETURN_IF_ERROR(cluster.Finish());
  HAI_RETURN_IF_ERROR(ValidatePortalConfig(c, file.source()));
  return c;
}

Status ValidatePortalConfig(const PortalConfig& c, const std::string& source) {
  if (c.audit_retention_days < 180 && !c.audit_retention_override)
    return Status::InvalidArgument(
        source + ": portal.audit_retention_days: " + std::to_string(c.audit_retention_days) +
            " is below the 180 days MLPS level 3 requires; set "
            "portal.audit_retention_override = true to allow it",
        "portal.audit_retention_days");
  bool level_ok = false;
  log::ParseLevel(c.log_level, &level_ok);
  if (!level_ok)
    return Status::InvalidArgument(
        source + ": log.level: expected debug, info, warning or error", "log.level");
  if (auto url = http::ParseHttpUrl(c.scheduler_url, source + ": cluster.scheduler_url"); !url.ok())
    return url.status();
  if (c.data_dir.empty())
    return Status::InvalidArgument(source + ": portal.data_dir: must not be empty",
                                   "portal.data_dir");
  return Status::Ok();
}

}  // namespace hai::portal
