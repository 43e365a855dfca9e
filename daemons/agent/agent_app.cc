#include "daemons/agent/agent_app.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "daemons/agent/replica_routes.h"
#include "lib/engine_profile/profile_parser.h"
#include "lib/http/bearer.h"
#include "lib/http/url.h"
#include "lib/log/log.h"
#include "lib/proc/child.h"

namespace hai::agent {
namespace {

bool IsWildcard(const std::string& host) {
  return host == "0.0.0.0" || host == "::" || host.empty();
}

}  // namespace

Result<std::vector<engine_profile::EngineProfile>> LoadEngineProfiles(const std::string& dir) {
  auto profiles = engine_profile::LoadProfiles(dir);
  if (profiles.ok()) return profiles;
  if (profiles.status().code() == Code::kNotFound) {
    log::Warn("no engine profiles: replicas cannot start", {{"dir", dir}});
    return std::vector<engine_profile::EngineProfile>{};
  }
  return Status::InvalidArgument(profiles.status().message(), "agent.engine_profiles_dir");
}

Status AgentApp::CreateRunner(const std::string& token, const Clock* clock) {
  HAI_RETURN_IF_ERROR(accel::RegisterBuiltinAdapters(&adapters_));
  std::string dir = config_.EngineProfilesDir();
  HAI_ASSIGN_OR_RETURN(auto profiles, LoadEngineProfiles(dir));
  std::string host = config_.EngineHost();
  planner_ = std::make_unique<LaunchPlanner>(
      LaunchPlanner::Settings{std::move(profiles), dir, proc::SelfDirectory(), host}, &adapters_);
  ports_ = std::make_unique<PortPool>(config_.engine_port_first, config_.engine_port_last);

  auto url = http::ParseHttpUrl(config_.scheduler_url, "agent.scheduler_url");
  ReplicaReporter::Settings rs{url.ok() ? url->host : "127.0.0.1", url.ok() ? url->port : 7001,
                               token, config_.node_name,
                               std::chrono::milliseconds(config_.heartbeat_interval_ms)};
  // The reporter asks the runner for the current report; the runner hands
  // each change to the reporter. Both outlive each other's use: the runner
  // is stopped first.
  reporter_ = std::make_unique<ReplicaReporter>(rs, [this] { return runner_->Report(); });

  SupervisorSettings s;
  s.backoff = std::chrono::seconds(config_.restart_backoff_s);
  s.backoff_max = std::chrono::seconds(config_.restart_backoff_max_s);
  s.stop_grace = std::chrono::seconds(config_.stop_grace_s);
  s.log_max_bytes = config_.log_max_bytes;
  s.log_keep = config_.log_keep;
  // An engine on the wildcard address is reached through this host's name,
  // and probed on loopback.
  char hostname[256] = {};
  gethostname(hostname, sizeof(hostname) - 1);
  s.address_host = IsWildcard(host) ? std::string(hostname) : host;
  s.probe_host = IsWildcard(host) ? "127.0.0.1" : host;
  // Weights that are not on this node come from the scheduler.
  model_source_ = std::make_unique<ModelSource>(
      ModelSource::Settings{rs.scheduler_host, rs.scheduler_port, token});
  model_cache_ = std::make_unique<ModelCache>(
      ModelCacheSettings{config_.ModelCacheDir(), config_.model_cache_max_gib << 30},
      model_source_.get());
  model_weights_ = std::make_unique<ModelWeights>(
      ParseModelFetchMode(config_.model_fetch).value_or(ModelFetchMode::kAuto), model_cache_.get());
  ReplicaReporter* reporter = reporter_.get();
  runner_ = std::make_unique<ReplicaRunner>(
      ReplicaRunner::Settings{config_.node_name, config_.ReplicasDir(), s}, planner_.get(),
      ports_.get(), clock,
      [reporter](cluster::ReplicaReport r) { reporter->Enqueue(std::move(r)); },
      model_weights_.get());
  return Status::Ok();
}

Result<std::unique_ptr<AgentApp>> AgentApp::Create(const AgentConfig& config,
                                                   std::unique_ptr<InventorySource> source,
                                                   const Clock* clock) {
  std::unique_ptr<AgentApp> app(new AgentApp(config));
  std::ifstream token_file(config.TokenPath());
  std::string token;
  if (!token_file || !std::getline(token_file, token) || token.size() < 32)
    return Status::FailedPrecondition("no cluster token in " + config.TokenPath());
  app->source_ = std::move(source);
  app->device_metrics_ = std::make_unique<DeviceMetrics>(&app->registry_);
  app->link_ = std::make_unique<SchedulerLink>(config, token, app->source_.get(),
                                               app->device_metrics_.get(), clock);
  HAI_RETURN_IF_ERROR(app->CreateRunner(token, clock));
  SchedulerLink* link = app->link_.get();
  app->router_.Add("GET", "/v1/inventory", [link, token](http::Request& req) {
    if (!http::BearerMatches(req, token))
      return http::Response::Error(Status::Unauthenticated("this route needs the cluster token"));
    return http::Response::Json(200, cluster::ToJson(link->current()));
  });
  AddReplicaRoutes(&app->router_, app->runner_.get(), token, config.node_name);
  // /healthz and /metrics as AddStandardRoutes makes them, with the replica
  // gauges appended: their series come and go with the replicas, which the
  // registry's families cannot forget.
  app->router_.Add("GET", "/healthz", [](http::Request&) {
    return http::Response::Json(200, {{"status", "ok"}});
  });
  AgentApp* self = app.get();
  app->router_.Add("GET", "/metrics", [self](http::Request&) {
    std::string text = self->registry_.Render() +
                       RenderReplicaMetrics(self->config_.node_name, self->runner_->List());
    return http::Response::Text(200, std::move(text), "text/plain; version=0.0.4; charset=utf-8");
  });
  return app;
}

AgentApp::~AgentApp() { Stop(); }

Status AgentApp::Start() {
  // Nothing of a previous run may keep running, or hold ports and devices,
  // once this one serves (docs/agent.md, "Agent restart").
  runner_->CleanUpPreviousRun();
  model_cache_->CleanUp();
  http::ServerOptions opts;
  opts.host = config_.listen;
  opts.port = config_.port;
  opts.threads = 16;  // log followers hold a thread each (at most 8)
  opts.metrics_prefix = "hai_agent_http";
  server_ = std::make_unique<http::Server>(opts, &router_, &registry_);
  HAI_RETURN_IF_ERROR(server_->Start());
  // Advertise the port really bound (it differs from the config's when that is 0).
  link_->SetAgentUrl(config_.advertise_url.empty()
                         ? "http://" + config_.listen + ":" + std::to_string(server_->port())
                         : config_.advertise_url);
  link_->Start();
  // The first report is empty: the scheduler assigns again whatever it
  // thought this node ran before a restart.
  reporter_->Enqueue(runner_->Report());
  reporter_->Start();
  log::Info("hai-agent listening",
            {{"node", config_.node_name},
             {"port", server_->port()},
             {"scheduler", config_.scheduler_url},
             {"engine_ports", std::to_string(config_.engine_port_first) + "-" +
                                  std::to_string(config_.engine_port_last)},
             {"model_fetch", config_.model_fetch},
             {"model_cache", config_.ModelCacheDir()}});
  return Status::Ok();
}

void AgentApp::Stop() {
  // Log followers end once the runner is stopping; then the server can stop,
  // and the engines are stopped all at once.
  if (runner_) runner_->Stop();
  if (server_) server_->Stop();
  if (reporter_) reporter_->Stop();
  if (link_) link_->Stop();
}

}  // namespace hai::agent
