#pragma once

// The real control plane hai-gateway needs, for gateway_bench: `haictl up`
// (portal, scheduler, gateway, three simulated agents, the demo model on
// hai-engine), run from a private copy of the build's install tree whose
// engine profiles hold one more, `gateway-bench-upstream`, so that the
// bench's minimal upstream is deployed through the portal API and becomes a
// Ready replica in the scheduler's routing table like any engine.
//
// Why a copy: `haictl up` takes its profiles from <bin>/../share/hai and has
// no flag for another engine-profile directory. The copy is hard links (or
// copies) of the programs and symbolic links to the rest of share/hai.

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "lib/base/status.h"
#include "lib/proc/child.h"

namespace hai::bench {

// A child's stdout and stderr, read on a thread so the pipe never fills; the
// last lines are kept for error messages. Thread-safe.
class OutputDrain {
 public:
  explicit OutputDrain(int fd, std::string prefix);
  ~OutputDrain();  // joins
  // Waits up to 5 s for the pipe to close (every writer gone), then stops
  // reading anyway.
  void Join();
  // The first line that contained `marker` so far, or "".
  std::string LineWith(const std::string& marker);
  std::string Tail();

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> ended_{false};
  std::mutex mu_;
  std::vector<std::string> lines_;  // GUARDED_BY(mu_), the last 200
  std::thread thread_;
};

class Appliance {
 public:
  static Result<std::unique_ptr<Appliance>> Start(const std::string& bin_dir,
                                                  const std::string& log_level);
  ~Appliance();  // stops haictl, so every daemon and replica, and removes the tree

  int base_port() const { return base_; }
  int portal_port() const { return base_; }
  int gateway_port() const { return base_ + 1; }
  int scheduler_port() const { return base_ + 2; }
  const std::string& admin_password() const { return admin_password_; }
  const std::string& engine_url() const { return engine_url_; }  // the demo replica
  const std::string& data_dir() const { return data_; }
  const std::string& bin_dir() const { return bin_; }  // the private copy's
  double up_seconds() const { return up_s_; }
  // The pid of haictl's hai-gateway, or -1.
  pid_t gateway_pid() const;

 private:
  Appliance() = default;
  Status Build(const std::string& source_bin);
  Status Up(const std::string& log_level);

  std::string root_, bin_, data_;
  int base_ = 0;
  std::string admin_password_, engine_url_;
  double up_s_ = 0;
  std::unique_ptr<proc::Child> up_;
  std::unique_ptr<OutputDrain> output_;
};

// The portal API as a signed-in user.
class PortalSession {
 public:
  explicit PortalSession(int port) : port_(port) {}
  int port() const { return port_; }
  Status SignIn(const std::string& username, const std::string& password);
  // The answer's JSON when its status is `expect`, else an error naming both.
  Result<nlohmann::json> Call(const std::string& method, const std::string& path,
                              const nlohmann::json& body, int expect);
  // The id of the item named `name` in a list route's `items`.
  Result<int64_t> IdOf(const std::string& list_path, const std::string& name);

 private:
  int port_;
  std::string token_;
};

// An API key with the inference scope in the organisation, made by a new
// developer of it; the secret.
Result<std::string> CreateInferenceKey(PortalSession& admin, int64_t org_id);

struct UpstreamReplica {
  int64_t service_id = 0;
  int port = 0;
};
// A service on `model_id` deployed with the bench's upstream profile; waits
// (bounded) until its replica is Ready.
Result<UpstreamReplica> DeployUpstream(PortalSession& portal, int64_t model_id, int64_t org_id,
                                       const std::string& service);
// "Ready, 0 restarts": how the service's replica is doing now.
std::string ReplicaState(PortalSession& portal, int64_t service_id);

// Waits (bounded) until the gateway on `port` answers 200 for `body`: the
// route and the key have reached it.
Status WaitRoutable(int port, const std::string& key, const std::string& body);

// A second hai-gateway with the bench's own configuration (its thread count),
// pointed at the appliance's portal and scheduler with its cluster token.
class GatewayProcess {
 public:
  static Result<std::unique_ptr<GatewayProcess>> Start(const Appliance& appliance, int threads);
  ~GatewayProcess();
  int port() const { return port_; }
  pid_t pid() const { return child_->pid(); }

 private:
  GatewayProcess() = default;
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<proc::Child> child_;
  std::unique_ptr<OutputDrain> output_;
};

}  // namespace hai::bench
