#include "daemons/agent/agent_app.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "lib/http/bearer.h"
#include "lib/log/log.h"

namespace hai::agent {

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
  SchedulerLink* link = app->link_.get();
  app->router_.Add("GET", "/v1/inventory", [link, token](http::Request& req) {
    if (!http::BearerMatches(req, token))
      return http::Response::Error(Status::Unauthenticated("this route needs the cluster token"));
    return http::Response::Json(200, cluster::ToJson(link->current()));
  });
  http::AddStandardRoutes(&app->router_, &app->registry_, nullptr);
  return app;
}

AgentApp::~AgentApp() { Stop(); }

Status AgentApp::Start() {
  http::ServerOptions opts;
  opts.host = config_.listen;
  opts.port = config_.port;
  opts.threads = 4;
  opts.metrics_prefix = "hai_agent_http";
  server_ = std::make_unique<http::Server>(opts, &router_, &registry_);
  HAI_RETURN_IF_ERROR(server_->Start());
  // Advertise the port really bound (it differs from the config's when that is 0).
  link_->SetAgentUrl(config_.advertise_url.empty()
                         ? "http://" + config_.listen + ":" + std::to_string(server_->port())
                         : config_.advertise_url);
  link_->Start();
  log::Info("hai-agent listening", {{"node", config_.node_name}, {"port", server_->port()},
                                    {"scheduler", config_.scheduler_url}});
  return Status::Ok();
}

void AgentApp::Stop() {
  if (link_) link_->Stop();
  if (server_) server_->Stop();
}

}  // namespace hai::agent
