// Replicas of a service and what happens to them: the rows and events
// hai-scheduler's controller writes, and the logs and processes the node's
// agent serves.
#include "daemons/portal/list_query.h"
#include "daemons/portal/routes.h"
#include "daemons/portal/service_access.h"
#include "daemons/portal/service_agent_proxy.h"
#include "daemons/portal/service_json.h"
#include "daemons/portal/service_replica_store.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

constexpr int64_t kDefaultEvents = 100;
constexpr int64_t kMaxEvents = 500;

Status ReplicaNotFound(int64_t id) {
  return Status::NotFound("replica " + std::to_string(id) + " not found");
}

// A replica the caller may see: its service's organisation decides.
Result<ReplicaInfo> VisibleReplica(Services* s, const Principal& who, int64_t id) {
  ReplicaInfo r;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    Result<ReplicaInfo> found = replicas::Get(tx, id);
    if (!found.ok()) return found.status();
    if (!VisibleService(tx, who, found->service_id).ok()) return ReplicaNotFound(id);
    r = std::move(*found);
    return Status::Ok();
  }));
  return r;
}

Result<Response> ListReplicas(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t service_id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(std::optional<int64_t> deployment_id, QueryInt(call.req, "deployment_id"));
  std::vector<ReplicaInfo> list;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_RETURN_IF_ERROR(VisibleService(tx, *call.who, service_id).status());
    HAI_ASSIGN_OR_RETURN(list, replicas::OfService(tx, service_id, deployment_id));
    return Status::Ok();
  }));
  nlohmann::json items = nlohmann::json::array();
  for (const ReplicaInfo& r : list) items.push_back(ToJson(r));
  return Response::Json(200, {{"items", items}, {"total", list.size()}});
}

// Events outlive a replacement replica's row, so they are found through the
// deployment they name.
Result<Response> ListEvents(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(std::optional<int64_t> limit, QueryInt(call.req, "limit"));
  if (limit && (*limit < 1 || *limit > kMaxEvents))
    return Status::InvalidArgument("limit must be from 1 to " + std::to_string(kMaxEvents),
                                   "limit");
  std::vector<ReplicaEventInfo> events;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(std::optional<int64_t> service_id, replicas::ServiceOf(tx, id));
    if (!service_id || !VisibleService(tx, *call.who, *service_id).ok()) return ReplicaNotFound(id);
    HAI_ASSIGN_OR_RETURN(events, replicas::Events(tx, id, limit.value_or(kDefaultEvents)));
    return Status::Ok();
  }));
  nlohmann::json items = nlohmann::json::array();
  for (const ReplicaEventInfo& e : events) items.push_back(ToJson(e));
  return Response::Json(200, {{"items", items}, {"total", events.size()}});
}

Result<Response> Logs(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(LogQuery query, ParseLogQuery(call.req));
  HAI_ASSIGN_OR_RETURN(ReplicaInfo r, VisibleReplica(s, *call.who, id));
  return ReplicaLogs(SchedulerOf(*s), r, query);
}

Result<Response> Processes(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  HAI_ASSIGN_OR_RETURN(ReplicaInfo r, VisibleReplica(s, *call.who, id));
  return ReplicaProcesses(SchedulerOf(*s), r);
}

}  // namespace

void AddReplicaRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/services/{id}/replicas", Permission::kServiceRead, "", "",
            "A service's replicas: status, node, devices, restarts, address"},
           [s](Call& c) { return ListReplicas(s, c); });
  api->Add({"GET", "/api/v1/replicas/{id}/events", Permission::kServiceRead, "", "",
            "What happened to a replica, newest first"},
           [s](Call& c) { return ListEvents(s, c); });
  api->Add({"GET", "/api/v1/replicas/{id}/logs", Permission::kServiceRead, "", "",
            "A replica's engine log from its node: the last lines, followed live, or downloaded"},
           [s](Call& c) { return Logs(s, c); });
  api->Add({"GET", "/api/v1/replicas/{id}/processes", Permission::kServiceRead, "", "",
            "The processes of a replica on its node: pid, command, state, uptime, memory"},
           [s](Call& c) { return Processes(s, c); });
}

}  // namespace hai::portal
