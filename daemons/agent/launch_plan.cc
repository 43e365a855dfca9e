#include "daemons/agent/launch_plan.h"

#include <algorithm>

namespace hai::agent {

Result<engine_profile::LaunchSpec> LaunchPlanner::Plan(const cluster::ReplicaAssignment& a,
                                                       const std::string& work_dir,
                                                       int port) const {
  const engine_profile::EngineProfile* profile =
      engine_profile::FindProfile(settings_.profiles, a.engine);
  if (!profile)
    return Status::NotFound("no engine profile '" + a.engine + "' in " + settings_.profiles_dir);
  engine_profile::LaunchContext c;
  c.model_path = a.model_path;
  c.served_name = a.service;
  c.host = settings_.host;
  c.port = port;
  c.vendor = a.vendor;
  c.device_ids = a.device_ids;
  c.simulated = a.simulated;
  c.tp = a.tp;
  c.engine_bin_dir = settings_.engine_bin_dir;
  c.work_dir = work_dir;
  c.params = a.params;
  c.extra_args = a.args;
  c.extra_env = a.env;
  HAI_ASSIGN_OR_RETURN(engine_profile::LaunchSpec spec,
                       engine_profile::Render(*profile, c, *adapters_));
  auto& env = spec.env;
  bool has_wait_policy = std::any_of(env.begin(), env.end(),
                                     [](const auto& kv) { return kv.first == "OMP_WAIT_POLICY"; });
  if (!has_wait_policy) {
    env.emplace_back("OMP_WAIT_POLICY", "PASSIVE");
    std::sort(env.begin(), env.end());
  }
  return spec;
}

}  // namespace hai::agent
