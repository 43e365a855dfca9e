#pragma once

#include <cstdint>
#include <string>

#include "lib/base/status.h"
#include "lib/config/config_file.h"

namespace hai::portal {

// hai-portal's configuration: [portal], plus [log] level and the [cluster]
// token_file, scheduler_url and ca_file of the shared hai.toml. Defaults are
// the installed layout.
struct PortalConfig {
  std::string data_dir = "/var/lib/hai";
  std::string listen = "127.0.0.1";
  int port = 8080;
  int threads = 8;
  // A gateway's call-log batch may be 8 MiB (docs/call-logs.md).
  int64_t max_body_bytes = 8 << 20;
  std::string web_dir = "/usr/share/hai/web";
  std::string openapi_file = "/usr/share/hai/api/openapi.json";
  int64_t session_idle_minutes = 30;
  int64_t session_absolute_hours = 12;
  int lockout_failures = 5;
  int64_t lockout_minutes = 15;
  int password_min_length = 10;
  // Argon2id cost; lower only for test rigs and benchmarks.
  int64_t password_hash_ops = 2;
  int64_t password_hash_memory_kib = 19456;
  int audit_retention_days = 180;
  bool audit_retention_override = false;  // allows fewer than 180 days
  // Call-log rows, and hour/day monitoring rollups (minute rollups: at most
  // 14 days), are removed past these by the daily retention job.
  int call_log_retention_days = 30;
  int monitoring_retention_days = 400;
  bool secure_cookies = false;
  // Both set: the portal serves HTTPS only (TLS 1.2 or later); both empty:
  // plain HTTP. hai-install sets them (and secure_cookies) with TLS on.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string log_level = "info";
  std::string cluster_token_file;  // default: <data_dir>/cluster-token
  std::string scheduler_url = "http://127.0.0.1:7001";  // [cluster] scheduler_url
  // [cluster] ca_file: the CA an https:// gateway_url's certificate must
  // chain to (the playground's calls); "" = the system's store.
  std::string ca_file;
  // The model catalogue; "" = the `catalog` folder of the share directory
  // that holds openapi_file (/usr/share/hai/catalog; a build tree's
  // build/share/hai/catalog under `haictl up`).
  std::string catalog_dir;
  int64_t model_import_max_bytes = int64_t{2} << 40;  // one import, 2 TiB
  int64_t model_import_max_files = 10000;
  // Engine profiles deployments may name; "" = `profiles/engines` in the
  // share directory (/usr/share/hai/profiles/engines; a build tree's
  // build/share/hai/profiles/engines), where the agents read them too.
  std::string engine_profiles_dir;
  // The OpenAI-compatible gateway as callers reach it (the VIP), shown in the
  // portal's API examples; "" = port 8000 on the host the portal was reached by.
  // May be https:// (verified against ca_file).
  std::string gateway_url;

  std::string DatabasePath() const { return data_dir + "/hai.db"; }
  std::string TokenPath() const {
    return cluster_token_file.empty() ? data_dir + "/cluster-token" : cluster_token_file;
  }
  std::string InitialPasswordPath() const { return data_dir + "/admin-password"; }
  std::string CatalogDir() const;
  std::string EngineProfilesDir() const;
};

// Reads and checks the file's sections; errors name the file and the key.
Result<PortalConfig> ReadPortalConfig(const config::File& file);
// Cross-field rules, also applied after command-line overrides.
Status ValidatePortalConfig(const PortalConfig& c, const std::string& source);

}  // namespace hai::portal
