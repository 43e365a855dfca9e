#include "daemons/gateway/gateway_config.h"

#include "daemons/gateway/scorer.h"
#include "lib/http/tls.h"
#include "lib/http/url.h"
#include "lib/log/log.h"

namespace hai::gateway {

Result<GatewayConfig> ReadGatewayConfig(const config::File& file) {
  GatewayConfig c;
  HAI_RETURN_IF_ERROR(file.CheckSections(config::KnownSections()));
  config::Section g = file.Get("gateway");
  g.Read("data_dir", &c.data_dir);
  g.Read("listen", &c.listen);
  g.Read("port", &c.port, 0, 65535);
  g.Read("threads", &c.threads, 4, 16384);
  g.Read("max_body_bytes", &c.max_body_bytes, 1024, int64_t{1} << 30);
  g.Read("tls_cert_file", &c.tls_cert_file);
  g.Read("tls_key_file", &c.tls_key_file);
  g.Read("portal_url", &c.portal_url);
  g.Read("scheduler_url", &c.scheduler_url);
  g.Read("key_cache_ttl_ms", &c.key_cache_ttl_ms, 0, 5000);
  g.Read("key_cache_max_entries", &c.key_cache_max_entries, 1, 10'000'000);
  g.Read("retries", &c.retries, 0, 5);
  g.Read("connect_timeout_ms", &c.connect_timeout_ms, 10, 60000);
  g.Read("upstream_timeout_ms", &c.upstream_timeout_ms, 1000, 3'600'000);
  g.Read("eject_ms", &c.eject_ms, 10, 600000);
  g.Read("max_eject_ms", &c.max_eject_ms, 10, 3'600'000);
  g.Read("scorer", &c.scorer);
  g.Read("call_log_queue", &c.call_log_queue, 1, 10'000'000);
  g.Read("call_log_batch", &c.call_log_batch, 1, 2000);
  g.Read("call_log_flush_ms", &c.call_log_flush_ms, 10, 60000);
  HAI_RETURN_IF_ERROR(g.Finish());
  config::Section log = file.Get("log");
  log.Read("level", &c.log_level);
  HAI_RETURN_IF_ERROR(log.Finish());
  config::Section cluster = file.Get("cluster");
  cluster.Read("token_file", &c.cluster_token_file);
  cluster.Read("portal_url", &c.cluster_portal_url);
  cluster.Read("scheduler_url", &c.cluster_scheduler_url);
  cluster.Read("ca_file", &c.cluster_ca_file);
  HAI_RETURN_IF_ERROR(cluster.Finish());
  HAI_RETURN_IF_ERROR(ValidateGatewayConfig(c, file.source()));
  return c;
}

Status ValidateGatewayConfig(const GatewayConfig& c, const std::string& source) {
  bool level_ok = false;
  log::ParseLevel(c.log_level, &level_ok);
  if (!level_ok)
    return Status::InvalidArgument(source + ": log.level: expected debug, info, warning or error",
                                   "log.level");
  const std::string portal_key = c.portal_url.empty() ? "cluster.portal_url" : "gateway.portal_url";
  if (auto url = http::ParseHttpUrl(c.PortalUrl(), source + ": " + portal_key,
                                    http::UrlSchemes::kHttpOrHttps);
      !url.ok())
    return url.status();
  const std::string scheduler_key =
      c.scheduler_url.empty() ? "cluster.scheduler_url" : "gateway.scheduler_url";
  if (auto url = http::ParseHttpUrl(c.SchedulerUrl(), source + ": " + scheduler_key); !url.ok())
    return url.status();
  HAI_RETURN_IF_ERROR(http::CheckTlsKeys(source, "gateway", c.tls_cert_file, c.tls_key_file));
  if (c.max_eject_ms < c.eject_ms)
    return Status::InvalidArgument(
        source + ": gateway.max_eject_ms: must not be below gateway.eject_ms (" +
            std::to_string(c.eject_ms) + ")",
        "gateway.max_eject_ms");
  if (c.call_log_batch > c.call_log_queue)
    return Status::InvalidArgument(
        source + ": gateway.call_log_batch: must not be above gateway.call_log_queue (" +
            std::to_string(c.call_log_queue) + ")",
        "gateway.call_log_batch");
  ScorerRegistry scorers;
  RegisterBuiltinScorers(&scorers);
  if (!scorers.Has(c.scorer))
    return Status::InvalidArgument(
        source + ": gateway.scorer: '" + c.scorer + "' is not one of " + scorers.Names(),
        "gateway.scorer");
  if (c.data_dir.empty() && c.cluster_token_file.empty())
    return Status::InvalidArgument(source + ": gateway.data_dir: must not be empty",
                                   "gateway.data_dir");
  return Status::Ok();
}

}  // namespace hai::gateway
