#pragma once

#include <cstdint>
#include <string>

#include "lib/base/status.h"
#include "lib/config/config_file.h"

namespace hai::gateway {

// hai-gateway's configuration: [gateway], plus [log] level and the [cluster]
// token_file, portal_url, scheduler_url and ca_file of the shared hai.toml.
// Defaults are the installed layout (docs/configuration.md).
struct GatewayConfig {
  std::string data_dir = "/var/lib/hai";  // only for the default cluster token path
  std::string listen = "127.0.0.1";
  int port = 8000;
  // Each request being served holds one; a stream holds it until it ends.
  int threads = 128;
  int64_t max_body_bytes = 8 << 20;
  // Both set: the API is served over HTTPS only (TLS 1.2 or later); both
  // empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Where keys are validated and routes come from; "" = the [cluster] value.
  // The portal's may be https:// (verified against cluster_ca_file).
  std::string portal_url;
  std::string scheduler_url;
  // How long an answer about a key is used before the portal is asked again:
  // a revoked key stops working within this (plus one portal round trip).
  int64_t key_cache_ttl_ms = 3000;
  int64_t key_cache_max_entries = 10000;
  // Further replicas tried after a connection error or a 5xx before the
  // first byte of the answer.
  int retries = 2;
  int64_t connect_timeout_ms = 2000;
  // The longest wait for the next bytes of an engine's answer.
  int64_t upstream_timeout_ms = 600000;
  // A failed replica takes no requests until a health probe succeeds, first
  // after eject_ms, then after twice as long each time, up to max_eject_ms.
  int64_t eject_ms = 2000;
  int64_t max_eject_ms = 30000;
  std::string scorer = "least_outstanding";
  // Call records waiting for the portal (beyond: dropped and counted), sent
  // in batches of at most call_log_batch, a partial batch after
  // call_log_flush_ms.
  int64_t call_log_queue = 100000;
  int64_t call_log_batch = 1000;
  int64_t call_log_flush_ms = 1000;
  std::string log_level = "info";
  std::string cluster_token_file;  // [cluster] token_file; default <data_dir>/cluster-token
  std::string cluster_portal_url = "http://127.0.0.1:8080";
  std::string cluster_scheduler_url = "http://127.0.0.1:7001";
  std::string cluster_ca_file;  // [cluster] ca_file; "" = the system's store

  std::string TokenPath() const {
    return cluster_token_file.empty() ? data_dir + "/cluster-token" : cluster_token_file;
  }
  std::string PortalUrl() const { return portal_url.empty() ? cluster_portal_url : portal_url; }
  std::string SchedulerUrl() const {
    return scheduler_url.empty() ? cluster_scheduler_url : scheduler_url;
  }
};

// Reads and checks the file's sections; errors name the file and the key.
Result<GatewayConfig> ReadGatewayConfig(const config::File& file);
// Cross-field rules, also applied after command-line overrides.
Status ValidateGatewayConfig(const GatewayConfig& c, const std::string& source);

}  // namespace hai::gateway
