#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/http/url.h"

namespace hai::ctl {

// What `haictl up` deploys through the platform itself: the demo model as a
// model service, placed by the scheduler and run by an agent like any other.
struct DemoServiceSpec {
  std::string org = "demo";      // organisation created for it when missing
  std::string service = "demo";  // also the name the replica serves
  std::string model = "demo";    // the catalogue's demo card (weights by hai-model init)
  // Further demo models whose weights must be registered before this returns,
  // so that "ready" means the plaza shows every demo model available.
  std::vector<std::string> also_registered;
  // The vendor of the replica's devices: "ascend" is a simulated node-1
  // device of `haictl up`; "" = the vendor of a free, healthy device of a
  // Ready node, whatever the cluster has (PickVendor).
  std::string vendor = "ascend";
  int devices_per_replica = 1;
};

// The vendor of the first accelerator in `accelerators` (the answer of GET
// /api/v1/accelerators) that sits on a Ready node, is healthy ("ok") and is
// held by nobody; "" when there is none.
std::string PickVendor(const nlohmann::json& accelerators);

// Signs in to the portal as `admin_user`, waits until the demo model's
// weights are registered, makes sure the organisation, the service and one
// deployment exist (a second start finds them and changes nothing), and waits
// for a Ready replica. Returns that replica's address (http://host:port).
Result<std::string> EnsureDemoService(int portal_port, const std::string& admin_user,
                                      const std::string& admin_password,
                                      const DemoServiceSpec& spec, std::chrono::seconds limit);
// The same against the portal at `portal` (http:// or https://; for https
// its certificate must chain to `ca_file`, "" = the system's store).
Result<std::string> EnsureDemoService(const http::HttpUrl& portal, const std::string& ca_file,
                                      const std::string& admin_user,
                                      const std::string& admin_password,
                                      const DemoServiceSpec& spec, std::chrono::seconds limit);

}  // namespace hai::ctl
