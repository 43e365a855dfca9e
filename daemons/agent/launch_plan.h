#pragma once

#include <string>
#include <vector>

#include "lib/accel/vendor_adapter.h"
#include "lib/base/status.h"
#include "lib/cluster/replica_wire.h"
#include "lib/engine_profile/engine_profile.h"
#include "lib/engine_profile/launch.h"

namespace hai::agent {

// Turns an assignment into the command, environment and files of one engine
// process, through the assignment's engine profile. Immutable after
// construction; safe from any thread.
class LaunchPlanner {
 public:
  struct Settings {
    std::vector<engine_profile::EngineProfile> profiles;
    std::string profiles_dir;    // for messages
    std::string engine_bin_dir;  // {engine_bin_dir}: where hai-engine lives
    std::string host;            // {host}: where engines listen
  };
  LaunchPlanner(Settings settings, const accel::AdapterRegistry* adapters)
      : settings_(std::move(settings)), adapters_(adapters) {}

  // Everything Render checks, plus an unknown engine (NotFound). The
  // environment always carries OMP_WAIT_POLICY: PASSIVE unless the profile or
  // the deployment chose otherwise, because many engines share a node's
  // cores and spinning OpenMP threads would take them from the others.
  Result<engine_profile::LaunchSpec> Plan(const cluster::ReplicaAssignment& a,
                                          const std::string& work_dir, int port) const;
  const std::string& host() const { return settings_.host; }

 private:
  Settings settings_;
  const accel::AdapterRegistry* adapters_;
};

}  // namespace hai::agent
