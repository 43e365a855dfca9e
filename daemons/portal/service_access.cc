#include "daemons/portal/service_access.h"

#include "daemons/portal/service_store.h"

namespace hai::portal {

Result<ModelService> VisibleService(store::Database::Tx& tx, const Principal& who, int64_t id) {
  HAI_ASSIGN_OR_RETURN(ModelService s, services::Get(tx, id));
  if (!who.IsAdmin() && !who.RoleIn(s.org_id))
    return Status::NotFound("service " + std::to_string(id) + " not found");
  return s;
}

Status MayManage(const Principal& who, const ModelService& service) {
  if (who.May(Permission::kServiceManage, service.org_id)) return Status::Ok();
  return Status::PermissionDenied("your role in organisation '" + service.org_name +
                                  "' does not allow service.manage");
}

Status NotDeleting(const ModelService& service) {
  if (!service.deleting) return Status::Ok();
  return Status::FailedPrecondition("service '" + service.name +
                                    "' is being deleted and takes no more changes");
}

SchedulerAddress SchedulerOf(const Services& s) {
  return {s.scheduler_host, s.scheduler_port, s.cluster_token};
}

}  // namespace hai::portal
