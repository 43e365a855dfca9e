#pragma once

#include <string>
#include <vector>

#include "daemons/portal/passwords.h"
#include "daemons/portal/session_store.h"
#include "lib/base/clock.h"
#include "lib/metrics/registry.h"
#include "lib/store/database.h"

namespace hai::engine_profile {
struct EngineProfile;
}
namespace hai::accel {
class AdapterRegistry;
}

namespace hai::portal {

class ModelRegistry;
class ReconcileTrigger;

// Policy knobs the handlers need, resolved from the configuration.
struct Policy {
  sessions::Limits session;
  int lockout_failures = 5;
  int64_t lockout_ms = 15LL * 60 * 1000;
  size_t password_min_length = 10;
  PasswordCost password_cost;
  bool secure_cookies = false;  // set when the portal is served over TLS
  int audit_retention_days = 180;
};

// What every handler may use. Owned by PortalApp; outlives the server.
struct Services {
  store::Database* db = nullptr;
  const Clock* clock = nullptr;
  metrics::Registry* metrics = nullptr;
  Policy policy;
  std::string cluster_token;
  std::string scheduler_host = "127.0.0.1";
  int scheduler_port = 7001;
  // The first start's admin password file; removed once that password changes.
  std::string initial_password_file;
  // portal.gateway_url: where programs call the models ("" = not configured).
  std::string gateway_url;
  // [cluster] ca_file: what an https:// gateway_url is verified against
  // ("" = the system's store).
  std::string ca_file;
  // The model registry (models, catalogue, imports); null in route-table-only builds.
  ModelRegistry* models = nullptr;
  // Engine profiles deployments may name, and the vendor adapters their
  // launches are checked with; null in route-table-only builds.
  const std::vector<engine_profile::EngineProfile>* engines = nullptr;
  const accel::AdapterRegistry* adapters = nullptr;
  // Tells the scheduler a deployment changed; null: nobody is told.
  ReconcileTrigger* reconcile = nullptr;
  metrics::Family* audit_failures = nullptr;
  metrics::Family* logins = nullptr;
};

}  // namespace hai::portal
