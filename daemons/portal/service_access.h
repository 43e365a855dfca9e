#pragma once

#include "daemons/portal/api.h"
#include "daemons/portal/service_scheduler.h"
#include "daemons/portal/service_types.h"

// Who may see and change a service. A service belongs to one organisation:
// its members read it, org admins and developers change it, platform admins
// do both everywhere; to anyone else it does not exist (404, like another
// organisation's users or keys).
namespace hai::portal {

Result<ModelService> VisibleService(store::Database::Tx& tx, const Principal& who, int64_t id);
// PermissionDenied naming the organisation when the caller's role there may not.
Status MayManage(const Principal& who, const ModelService& service);
// A deleted service takes no more changes.
Status NotDeleting(const ModelService& service);

SchedulerAddress SchedulerOf(const Services& s);

}  // namespace hai::portal
