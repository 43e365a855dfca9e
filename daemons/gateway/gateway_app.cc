#include "daemons/gateway/gateway_app.h"

#include <fstream>
#include <random>

#include "daemons/gateway/gateway_routes.h"
#include "lib/http/tls.h"
#include "lib/log/log.h"

namespace hai::gateway {
namespace {

// Idle kept-alive connections per replica: each holds one of the engine's
// HTTP threads while open, and every node's gateway keeps its own.
constexpr size_t kIdlePerReplica = 16;
// How long a stopping gateway tries to hand its queued call records over
// (systemd's stop timeout is far longer).
constexpr std::chrono::seconds kCallLogFlush{5};

}  // namespace

Result<std::unique_ptr<GatewayApp>> GatewayApp::Create(const GatewayConfig& config,
                                                       const Clock* clock) {
  std::unique_ptr<GatewayApp> app(new GatewayApp(config, clock));
  std::ifstream token_file(config.TokenPath());
  std::string token;
  if (!token_file || !std::getline(token_file, token) || token.size() < 32)
    return Status::FailedPrecondition("no cluster token in " + config.TokenPath() +
                                      " (hai-portal creates it at first start; hai-install "
                                      "copies it to other nodes)");
  HAI_ASSIGN_OR_RETURN(http::HttpUrl portal, http::ParseHttpUrl(config.PortalUrl(), "portal_url",
                                                                http::UrlSchemes::kHttpOrHttps));
  if (!config.tls_cert_file.empty())
    HAI_RETURN_IF_ERROR(http::CheckServerTlsFiles(config.tls_cert_file, config.tls_key_file));
  if (!config.cluster_ca_file.empty())
    HAI_RETURN_IF_ERROR(http::CheckCaFile(config.cluster_ca_file));
  HAI_ASSIGN_OR_RETURN(http::HttpUrl scheduler,
                       http::ParseHttpUrl(config.SchedulerUrl(), "scheduler_url"));
  ScorerRegistry scorers;
  RegisterBuiltinScorers(&scorers);
  HAI_ASSIGN_OR_RETURN(std::unique_ptr<Scorer> scorer, scorers.Create(config.scorer));

  app->metrics_ = std::make_unique<GatewayMetrics>(&app->registry_);
  app->validator_ = std::make_unique<PortalKeyValidator>(
      portal, token, static_cast<int>(config.connect_timeout_ms) + 3000, config.cluster_ca_file);
  app->keys_ = std::make_unique<KeyCache>(
      app->validator_.get(), clock,
      KeyCacheOptions{config.key_cache_ttl_ms, static_cast<size_t>(config.key_cache_max_entries)});
  app->callers_ = std::make_unique<CallerIdentity>(app->keys_.get(), token, app->metrics_.get());
  app->limiter_ = std::make_unique<RateLimiter>(clock);
  CallLogOptions call_log;
  call_log.queue = static_cast<size_t>(config.call_log_queue);
  call_log.batch = static_cast<size_t>(config.call_log_batch);
  call_log.flush_ms = config.call_log_flush_ms;
  call_log.ca_file = config.cluster_ca_file;
  app->call_log_ = std::make_unique<CallLogSink>(portal, token, call_log, app->metrics_.get());
  app->tokens_ = std::make_unique<TokenCounter>(scheduler, token, clock);
  app->picker_ = std::make_unique<Picker>(std::move(scorer), std::random_device{}());
  app->upstreams_ =
      std::make_unique<ClientPool>(static_cast<int>(config.upstream_timeout_ms),
                                   static_cast<int>(config.connect_timeout_ms), kIdlePerReplica);
  app->proxy_ = std::make_unique<InferenceProxy>(
      ProxyDeps{app->callers_.get(),
                &app->routes_,
                app->picker_.get(),
                app->upstreams_.get(),
                app->metrics_.get(),
                app->limiter_.get(),
                app->call_log_.get(),
                clock,
                {config.retries, config.eject_ms, config.max_eject_ms},
                app->tokens_.get()});
  app->follower_ =
      std::make_unique<RouteFollower>(scheduler, token, &app->routes_, app->metrics_.get());
  app->prober_ = std::make_unique<ReplicaProber>(&app->routes_, app->metrics_.get(), clock,
                                                 static_cast<int>(config.connect_timeout_ms),
                                                 config.max_eject_ms);
  AddGatewayRoutes(&app->router_, app->proxy_.get(), &app->routes_, &app->registry_);
  return app;
}

GatewayApp::~GatewayApp() { Stop(); }

Status GatewayApp::Start() {
  http::ServerOptions opts =
      GatewayServerOptions(config_.listen, config_.port, config_.threads, config_.max_body_bytes);
  opts.tls_cert_file = config_.tls_cert_file;
  opts.tls_key_file = config_.tls_key_file;
  server_ = std::make_unique<http::Server>(opts, &router_, &registry_);
  call_log_->Start();
  tokens_->Start();
  HAI_RETURN_IF_ERROR(server_->Start());
  follower_->Start();
  prober_->Start();
  log::Info("hai-gateway listening", {{"address", config_.listen},
                                      {"port", server_->port()},
                                      {"scheme", config_.tls_cert_file.empty() ? "http" : "https"},
                                      {"portal", config_.PortalUrl()},
                                      {"scheduler", config_.SchedulerUrl()}});
  return Status::Ok();
}

void GatewayApp::Stop() {
  if (server_) server_->Stop();
  if (follower_) follower_->Stop();
  if (prober_) prober_->Stop();
  if (tokens_) tokens_->Stop();
  // After the server: the calls that were still running have their records.
  if (call_log_) call_log_->Stop(kCallLogFlush);
}

}  // namespace hai::gateway
