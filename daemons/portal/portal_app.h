#pragma once

#include <memory>
#include <string>

#include "daemons/portal/api.h"
#include "daemons/portal/model_registry.h"
#include "daemons/portal/portal_config.h"
#include "daemons/portal/service_scheduler.h"
#include "daemons/portal/service_usage.h"
#include "daemons/portal/services.h"
#include "lib/accel/vendor_adapter.h"
#include "lib/engine_profile/engine_profile.h"
#include "lib/http/server.h"
#include "lib/metrics/registry.h"
#include "lib/store/database.h"

namespace hai::portal {

// The hai-portal component: owns the database, the API and the HTTP server;
// start → ready → stop. Start/Stop/Tick from the main thread only.
class PortalApp {
 public:
  static Result<std::unique_ptr<PortalApp>> Create(const PortalConfig& config, const Clock* clock);
  ~PortalApp();

  Status Start();
  void Stop();
  // Housekeeping from the main loop: expired sessions, deleted services whose
  // deployments are gone, the daily audit and call-log retention.
  void Tick();
  // Removes audit entries past the retention and audits that it did.
  Result<int64_t> RunRetention();
  // Removes call logs and monitoring rollups past their retention (daily,
  // with the audit retention; failures are logged).
  void RunCallLogRetention();
  // Removes deleted services whose last deployment the scheduler removed.
  Result<int64_t> RemoveDeletedServices();

  int port() const { return server_ ? server_->port() : 0; }
  const Api& api() const { return *api_; }
  ModelRegistry* models() { return models_.get(); }
  // Set on the first start only: the generated admin password.
  const std::string& initial_password() const { return initial_password_; }

 private:
  PortalApp(const PortalConfig& config, const Clock* clock);
  Status Bootstrap();
  Status LoadDeploymentSupport();

  PortalConfig config_;
  const Clock* clock_;
  metrics::Registry registry_;
  std::unique_ptr<store::Database> db_;
  ServiceModelUsage model_usage_;
  std::unique_ptr<ModelRegistry> models_;
  std::vector<engine_profile::EngineProfile> engines_;
  accel::AdapterRegistry adapters_;
  std::unique_ptr<ReconcileTrigger> reconcile_;
  Services services_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<http::Server> server_;
  std::string initial_password_;
  int64_t last_retention_ms_ = 0;
  int64_t last_cleanup_ms_ = 0;
  int64_t last_service_sweep_ms_ = 0;
};

// Builds the same route table the daemon serves, without a database, so
// tests and the docs check can enumerate it.
std::unique_ptr<Api> RouteTableForDocs(Services* services);

}  // namespace hai::portal
