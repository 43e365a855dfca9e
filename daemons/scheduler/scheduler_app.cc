#include "daemons/scheduler/scheduler_app.h"

#include <fstream>

#include "daemons/scheduler/model_routes.h"
#include "daemons/scheduler/route_table_routes.h"
#include "daemons/scheduler/scheduler_routes.h"
#include "daemons/scheduler/sqlite_ledger.h"
#include "lib/log/log.h"
#include "lib/store/migrations.h"

namespace hai::scheduler {

Result<std::unique_ptr<SchedulerApp>> SchedulerApp::Create(const SchedulerConfig& config,
                                                           const Clock* clock) {
  std::unique_ptr<SchedulerApp> app(new SchedulerApp(config, clock));
  std::ifstream token_file(config.TokenPath());
  std::string token;
  if (!token_file || !std::getline(token_file, token) || token.size() < 32)
    return Status::FailedPrecondition("no cluster token in " + config.TokenPath() +
                                      " (hai-portal creates it at first start; hai-install "
                                      "copies it to other nodes)");
  HAI_ASSIGN_OR_RETURN(app->db_, store::Database::Open(config.data_dir + "/hai.db",
                                                       store::ControlPlaneMigrations()));
  app->events_ = std::make_unique<SqliteEventSink>(app->db_.get());
  // Each vendor's adapter knows its visible-devices variables.
  accel::AdapterRegistry adapter_registry;
  HAI_RETURN_IF_ERROR(accel::RegisterBuiltinAdapters(&adapter_registry));
  for (accel::Vendor v : accel::AllVendors()) {
    auto adapter = adapter_registry.Create(accel::VendorName(v));
    if (adapter.ok()) app->adapters_[v] = std::move(*adapter);
  }
  SchedulerApp* self = app.get();
  placement::PlacerOptions options;
  options.env = [self](accel::Vendor v, const std::vector<int>& indices) {
    auto it = self->adapters_.find(v);
    return it == self->adapters_.end() ? placement::DefaultVisibleDevicesEnv(v, indices)
                                       : it->second->VisibleDevicesEnv(indices);
  };
  app->ledger_ = std::make_unique<SqliteLedger>(app->db_.get());
  app->placer_ = std::make_unique<placement::Placer>(*app->ledger_, options);
  HAI_RETURN_IF_ERROR(app->placer_->Load());
  app->nodes_ = std::make_unique<NodeRegistry>(
      app->events_.get(), config.heartbeat_timeout_ms, [self](const NodeView& n) {
        self->placer_->UpsertNode({n.registration.node,
                                   n.status == NodeStatus::kReady ? placement::NodeState::kReady
                                                                  : placement::NodeState::kNotReady,
                                   n.registration.labels, n.registration.inventory});
      });
  app->node_gauge_ = app->registry_.Gauge("hai_scheduler_nodes", "Registered nodes by status.");
  ResourceNamesFn resource_names = [self](accel::Vendor v, const std::string& model) {
    auto it = self->adapters_.find(v);
    return it == self->adapters_.end() ? std::vector<std::string>{}
                                       : it->second->KubernetesResourceNames(model);
  };
  app->deployment_store_ = std::make_unique<DeploymentStore>(app->db_.get());
  app->agent_link_ = std::make_unique<HttpAgentLink>(token);
  app->controller_ = std::make_unique<DeploymentController>(
      app->deployment_store_.get(), app->placer_.get(), app->agent_link_.get(),
      [self] { return self->NodeInfos(); }, clock);
  AddSchedulerRoutes(&app->router_,
                     {app->nodes_.get(), app->placer_.get(), app->ledger_.get(),
                      app->events_.get(), clock, token, resource_names, app->controller_.get()});
  app->route_table_ = std::make_unique<RouteTable>(app->db_.get(), clock);
  HAI_RETURN_IF_ERROR(app->route_table_->Refresh());
  AddRouteTableRoutes(&app->router_, app->route_table_.get(), token);
  app->model_artifacts_ = std::make_unique<ModelArtifacts>(app->db_.get(), config.data_dir);
  AddModelRoutes(&app->router_, app->model_artifacts_.get(), token);
  http::AddStandardRoutes(&app->router_, &app->registry_, nullptr);
  return app;
}

SchedulerApp::~SchedulerApp() { Stop(); }

Status SchedulerApp::Start() {
  http::ServerOptions opts;
  opts.host = config_.listen;
  opts.port = config_.port;
  opts.threads = config_.threads;
  opts.max_body_bytes = static_cast<size_t>(config_.max_body_bytes);
  opts.metrics_prefix = "hai_scheduler_http";
  server_ = std::make_unique<http::Server>(opts, &router_, &registry_);
  HAI_RETURN_IF_ERROR(server_->Start());
  log::Info("hai-scheduler listening", {{"address", config_.listen}, {"port", server_->port()}});
  return Status::Ok();
}

void SchedulerApp::Stop() {
  if (route_table_) route_table_->Close();  // long-polling gateways must not hold the stop up
  if (server_) server_->Stop();
}

void SchedulerApp::Tick() {
  const int64_t now = clock_->NowMs();
  for (const std::string& node : nodes_->Sweep(now)) {
    // A lost node's allocations are released; their holders are told through
    // events (the deployment controller reschedules them).
    auto holders = placer_->ReleaseNode(node);
    if (!holders.ok()) {
      log::Error("cannot release a lost node", {{"node", node}, {"error", holders.status().message()}});
      continue;
    }
    for (const std::string& holder : *holders)
      events_->Record({0, now, "allocation.lost", node, holder + " lost its devices on " + node});
  }
  int ready = 0, not_ready = 0;
  for (const NodeView& n : nodes_->Snapshot()) (n.status == NodeStatus::kReady ? ready : not_ready)++;
  node_gauge_->Set({{"status", "Ready"}}, ready);
  node_gauge_->Set({{"status", "NotReady"}}, not_ready);
  if (Status st = controller_->Reconcile(); !st.ok())
    log::Error("deployment reconciliation failed", {{"error", st.ToString()}});
  if (Status st = route_table_->Refresh(); !st.ok())
    log::Error("cannot read the routing table", {{"error", st.ToString()}});
}

std::vector<NodeInfo> SchedulerApp::NodeInfos() const {
  std::vector<NodeInfo> out;
  for (const NodeView& n : nodes_->Snapshot()) {
    NodeInfo info{n.registration.node, n.status == NodeStatus::kReady, n.registration.agent_url,
                  false};
    for (const accel::Device& d : n.registration.inventory.devices) info.simulated |= d.simulated;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace hai::scheduler
