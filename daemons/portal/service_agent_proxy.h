#pragma once

#include <string>

#include "daemons/portal/service_scheduler.h"
#include "daemons/portal/service_types.h"
#include "lib/http/message.h"

// A replica's logs and processes live on its node: the portal finds the
// node's agent through the scheduler and relays the agent's answer
// (GET /internal/v1/replicas/rep-<id>/logs and /processes, cluster token).
namespace hai::portal {

// What a logs request asks for, checked: tail (lines), follow, download.
struct LogQuery {
  std::optional<int64_t> tail;
  bool follow = false;
  bool download = false;
};
// Errors name the query parameter.
Result<LogQuery> ParseLogQuery(const http::Request& req);

// The agent's answer as ours. `follow` streams the log as the agent writes
// it, for as long as the reader stays; the agent's connection is cut as soon
// as the reader goes, even while the log is quiet. A download is streamed
// too (a log may be large), as an attachment named after the replica.
Result<http::Response> ReplicaLogs(const SchedulerAddress& at, const ReplicaInfo& replica,
                                   const LogQuery& query);
Result<http::Response> ReplicaProcesses(const SchedulerAddress& at, const ReplicaInfo& replica);

}  // namespace hai::portal
