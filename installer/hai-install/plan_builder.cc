#include "installer/hai-install/plan_builder.h"

#include "installer/hai-install/settings.h"

namespace hai::install {
namespace {

bool IsNumber(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

Status ResolveOwners(const Accounts& accounts, Step* step) {
  for (FileSpec& f : step->files) {
    if (f.kind == FileSpec::Kind::kAbsent) continue;
    HAI_ASSIGN_OR_RETURN(f.uid, accounts.Uid(f.owner));
    HAI_ASSIGN_OR_RETURN(f.gid, accounts.Gid(f.group));
    // Files we only edit keep their owner, which the planner has as numbers.
    if (IsNumber(f.owner)) f.owner = accounts.UserName(f.uid);
    if (IsNumber(f.group)) f.group = accounts.GroupName(f.gid);
  }
  return Status::Ok();
}

}  // namespace

Result<Plan> BuildPlan(const PlanInput& in, const Accounts& accounts) {
  using Planner = Result<Step> (*)(const PlanInput&);
  static constexpr Planner kSettings[] = {
      PlanSysctl,       PlanThp, PlanIoScheduler, PlanKernelArgs,   PlanChrony, PlanFirewall,
      PlanClusterToken, PlanTls, PlanHaiConfig,   PlanDeviceGroups, PlanUnits,
  };
  Plan plan;
  plan.node = in.config.name;
  plan.role = RoleName(in.config.role);
  plan.root = in.root;
  for (Planner planner : kSettings) {
    HAI_ASSIGN_OR_RETURN(Step step, planner(in));
    HAI_RETURN_IF_ERROR(ResolveOwners(accounts, &step));
    plan.steps.push_back(std::move(step));
  }
  return plan;
}

}  // namespace hai::install
