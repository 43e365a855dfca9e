#include "daemons/portal/portal_config.h"

#include <filesystem>

#include "daemons/portal/model_catalog.h"
#include "lib/engine_profile/profile_parser.h"
#include "lib/http/tls.h"
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
  p.Read("call_log_retention_days", &c.call_log_retention_days, 1, 36500);
  p.Read("monitoring_retention_days", &c.monitoring_retention_days, 1, 36500);
  p.Read("secure_cookies", &c.secure_cookies);
  p.Read("tls_cert_file", &c.tls_cert_file);
  p.Read("tls_key_file", &c.tls_key_file);
  p.Read("catalog_dir", &c.catalog_dir);
  p.Read("model_import_max_bytes", &c.model_import_max_bytes, 1 << 20, int64_t{1} << 50);
  p.Read("model_import_max_files", &c.model_import_max_files, 1, 1000000);
  p.Read("engine_profiles_dir", &c.engine_profiles_dir);
  p.Read("gateway_url", &c.gateway_url);
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
  cluster.Read("ca_file", &c.ca_file);
  HAI_RETURN_IF_ERROR(cluster.Finish());
  HAI_RETURN_IF_ERROR(ValidatePortalConfig(c, file.source()));
  return c;
}

Status ValidatePortalConfig(const PortalConfig& c, const std::string& source) {
  if (!c.gateway_url.empty()) {
    if (auto url =
            http::ParseHttpUrl(c.gateway_url, "portal.gateway_url", http::UrlSchemes::kHttpOrHttps);
        !url.ok())
      return Status::InvalidArgument(source + ": " + url.status().message(), "portal.gateway_url");
  }
  HAI_RETURN_IF_ERROR(http::CheckTlsKeys(source, "portal", c.tls_cert_file, c.tls_key_file));
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
  // The catalogue ships with the configuration: a broken file stops the
  // portal like a bad key does (exit 78), naming the file and its key.
  if (auto catalog = LoadCatalog(c.CatalogDir()); !catalog.ok())
    return Status::InvalidArgument("model catalogue: " + catalog.status().message(),
                                   "portal.catalog_dir");
  // Likewise a broken engine profile; a missing folder only leaves the
  // portal unable to deploy (a warning at start).
  std::error_code ec;
  if (std::filesystem::is_directory(c.EngineProfilesDir(), ec))
    if (auto engines = engine_profile::LoadProfiles(c.EngineProfilesDir()); !engines.ok())
      return Status::InvalidArgument("engine profiles: " + engines.status().message(),
                                     "portal.engine_profiles_dir");
  return Status::Ok();
}

std::string PortalConfig::EngineProfilesDir() const {
  if (!engine_profiles_dir.empty()) return engine_profiles_dir;
  return (std::filesystem::path(openapi_file).parent_path().parent_path() / "profiles" / "engines")
      .string();
}

std::string PortalConfig::CatalogDir() const {
  if (!catalog_dir.empty()) return catalog_dir;
  return (std::filesystem::path(openapi_file).parent_path().parent_path() / "catalog").string();
}

}  // namespace hai::portal
