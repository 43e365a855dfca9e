#pragma once

#include <string>
#include <vector>

#include "daemons/portal/service_types.h"
#include "lib/store/database.h"

// The deployments table (migration 5): the portal writes the desired state;
// the scheduler's controller reads it, and removes a 'deleting' row once its
// replicas are gone. Called inside the caller's transaction.
namespace hai::portal::deployments {

using store::Database;

Result<Deployment> Insert(Database::Tx& tx, int64_t service_id, const DeploymentRequest& r,
                          const std::string& model_path, int64_t now);
// NotFound unless deployment `id` belongs to `service_id`.
Result<Deployment> Get(Database::Tx& tx, int64_t service_id, int64_t id);
Result<std::vector<Deployment>> OfService(Database::Tx& tx, int64_t service_id);
// Writes `patch` over `current`; new arguments or environment bump the
// generation (the agents restart the engines). Returns the row as stored.
Result<Deployment> Apply(Database::Tx& tx, const Deployment& current, const DeploymentPatch& patch,
                         int64_t now);
Status MarkDeleting(Database::Tx& tx, int64_t id, int64_t now);

}  // namespace hai::portal::deployments
