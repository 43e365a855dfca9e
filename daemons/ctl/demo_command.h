#pragma once

#include <string>
#include <vector>

#include "daemons/ctl/embedded.h"
#include "lib/base/status.h"

namespace hai::ctl {

// `haictl demo`: the demo model of `haictl up`, brought to an installed
// cluster. Run on the control node, where the portal's data directory is.
struct DemoOptions {
  // The portal; its certificate must chain to `ca_file` for https:// (the
  // certificate hai-install makes names 127.0.0.1).
  std::string portal_url = "https://127.0.0.1:8080";
  std::string ca_file = "/etc/hai/tls/ca.crt";
  std::string data_dir = "/var/lib/hai";  // the portal's [portal] data_dir
  std::string password_file;              // "" = <data_dir>/admin-password
  // The weights are written as this user, the daemons' own, so that the
  // portal and the engine can read them ("" = as whoever runs haictl).
  std::string run_as = "hai";
  std::string vendor;   // of the replica's device; "" = one the cluster has free
  std::string bin_dir;  // where hai-model is
  int timeout_s = 300;
};

// The command that writes `model`'s weights into `out_dir`; through
// `runuser -u <run_as>` when `run_as` is not empty.
std::vector<std::string> DemoWeightsCommand(const std::string& hai_model,
                                            const std::string& out_dir, const DemoModel& model,
                                            const std::string& run_as);

// Who the weights are written as, for runuser: "" when that is us already,
// `wanted` when we are root; a PermissionDenied error otherwise.
Result<std::string> WeightsUser(const std::string& wanted);

// Writes each demo model's weights that <data_dir>/models lacks: into a
// hidden partial folder first, renamed into place once complete, so that
// the portal, which watches the folder, never sees half a checkpoint.
Status MakeDemoWeights(const DemoOptions& options);

// The demo weights, then the organisation, service and deployment (as
// EnsureDemoService), waiting for a Ready replica. Prints one JSON line;
// returns the exit code.
int RunDemo(const DemoOptions& options);

}  // namespace hai::ctl
