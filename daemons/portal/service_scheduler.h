#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemons/portal/service_types.h"
#include "lib/base/status.h"
#include "lib/http/url.h"

// What the services routes ask hai-scheduler, over HTTP with the cluster
// token: will a deployment fit, where is a node's agent, and "reconcile now".
namespace hai::portal {

struct SchedulerAddress {
  std::string host;
  int port = 0;
  std::string token;  // the cluster token
};

// One node's refusal, as the scheduler's dry run gives it.
struct FitRefusal {
  std::string node;  // "" for a request-level reason
  std::string code;  // insufficient_devices, vendor_mismatch, …
  std::string message;
};

struct FitCheck {
  bool fits = false;
  std::vector<FitRefusal> reasons;
};

// A dry run for `replicas` replicas of the deployment's shape: nothing is
// bound. A request the scheduler finds malformed is InvalidArgument with its
// message; an unreachable scheduler is Unavailable.
Result<FitCheck> CheckFit(const SchedulerAddress& at, const DeploymentRequest& r, int64_t replicas);

// "http://host:port" of the agent on `node`, from the scheduler's registry;
// NotFound when the scheduler does not know the node (any more).
Result<http::HttpUrl> AgentOf(const SchedulerAddress& at, const std::string& node);

// Asks the scheduler to reconcile at once after a change, without making the
// request wait for it: a background thread posts the kick, and kicks that
// arrive while one is on its way are folded into the next. A lost kick costs
// little: the controller also runs every 500 ms by itself. Thread-safe.
class ReconcileTrigger {
 public:
  explicit ReconcileTrigger(SchedulerAddress at);
  ~ReconcileTrigger();
  ReconcileTrigger(const ReconcileTrigger&) = delete;
  ReconcileTrigger& operator=(const ReconcileTrigger&) = delete;

  void Kick();

 private:
  void Loop();

  SchedulerAddress at_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;   // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace hai::portal
