#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::ctl {

// What `haictl up` deploys through the platform itself: the demo model as a
// model service, placed by the scheduler and run by an agent like any other.
struct DemoServiceSpec {
  std::string org = "demo";            // organisation created for it when missing
  std::string service = "demo";        // also the name the replica serves
  std::string model = "demo";          // the catalogue's demo card (weights by hai-model init)
  // Further demo models whose weights must be registered before this returns,
  // so that "ready" means the plaza shows every demo model available.
  std::vector<std::string> also_registered;
  std::string vendor = "ascend";       // a simulated node-1 device
  int devices_per_replica = 1;
};

// Signs in to the portal as `admin_user`, waits until the demo model's
// weights are registered, makes sure the organisation, the service and one
// deployment exist (a second start finds them and changes nothing), and waits
// for a Ready replica. Returns that replica's address (http://host:port).
Result<std::string> EnsureDemoService(int portal_port, const std::string& admin_user,
                                      const std::string& admin_password,
                                      const DemoServiceSpec& spec, std::chrono::seconds limit);

}  // namespace hai::ctl
