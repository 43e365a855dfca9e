#pragma once

#include <optional>
#include <vector>

#include "daemons/portal/service_types.h"
#include "lib/store/database.h"

// Reads of the replicas and replica_events tables (migration 5). The
// scheduler's deployment controller writes them; the portal never does.
// Called inside the caller's transaction.
namespace hai::portal::replicas {

using store::Database;

// Every replica of the service's deployments (one deployment's, when given),
// by deployment and ordinal.
Result<std::vector<ReplicaInfo>> OfService(Database::Tx& tx, int64_t service_id,
                                           std::optional<int64_t> deployment_id);
// NotFound when no such replica (any more).
Result<ReplicaInfo> Get(Database::Tx& tx, int64_t id);
// The service a replica belongs to, or belonged to: replicas that were
// replaced keep their events, and so their owner, while the deployment lasts.
Result<std::optional<int64_t>> ServiceOf(Database::Tx& tx, int64_t replica_id);
// Newest first, at most `limit`.
Result<std::vector<ReplicaEventInfo>> Events(Database::Tx& tx, int64_t replica_id, int64_t limit);

}  // namespace hai::portal::replicas
