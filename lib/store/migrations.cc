#include "lib/store/migrations.h"

#include "lib/store/schema.h"

namespace hai::store {

const std::vector<Migration>& ControlPlaneMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "identity and audit", std::string(kSchemaIdentityV1)},
      {2, "cluster events", std::string(kSchemaClusterV2)},
      {3, "allocation ledger", std::string(kSchemaAllocationsV3)},
      {4, "model registry", std::string(kSchemaModelsV4)},
      {5, "services and deployments", std::string(kSchemaDeploymentsV5)},
      {6, "rate limits", std::string(kSchemaRateLimitsV6)},
      {7, "call logs and monitoring rollups", std::string(kSchemaCallLogsV7)},
  };
  return kMigrations;
}

}  // namespace hai::store
