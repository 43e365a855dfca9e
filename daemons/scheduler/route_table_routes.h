#pragma once

#include <string>

#include "daemons/scheduler/route_table.h"
#include "lib/http/router.h"

namespace hai::scheduler {

// The longest a gateway's long-poll is held (wait_ms above this is cut to it).
inline constexpr int64_t kMaxRoutesWaitMs = 30'000;

// GET /internal/v1/routes[?version=N&wait_ms=M] (cluster token): the routing
// table; with `version`, answered at once when the table's version differs
// from N, else after at most M ms (bounded by kMaxRoutesWaitMs) with
// whatever the table is then.
void AddRouteTableRoutes(http::Router* router, RouteTable* table, std::string cluster_token);

}  // namespace hai::scheduler
