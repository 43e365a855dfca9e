#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemons/scheduler/agent_link.h"
#include "daemons/scheduler/deployment_store.h"
#include "lib/base/clock.h"
#include "lib/placement/placer.h"

namespace hai::scheduler {

// What the controller needs to know about a node.
struct NodeInfo {
  std::string name;
  bool ready = false;
  std::string agent_url;
  bool simulated = false;  // its devices come from a hardware profile
};
using NodesFn = std::function<std::vector<NodeInfo>()>;

// Turns desired deployments into running replicas: creates and removes
// replica rows to match each deployment's count, places each new replica
// (one placement per replica, the replica being the ledger's holder), tells
// the node's agent to run it, follows the agents' reports, and replaces
// replicas whose node was lost. Restarting a crashed process is the agent's
// job (in place, with back-off); the controller moves a replica only when its
// node goes away. Every transition is a replica event with a reason.
//
// Level-triggered: each pass compares the whole desired state with the whole
// observed one, so a missed report or a restarted daemon is put right by the
// next pass. Thread-safe: passes and reports are serialised.
class DeploymentController {
 public:
  DeploymentController(DeploymentStore* store, placement::Placer* placer, AgentLink* agents,
                       NodesFn nodes, const Clock* clock)
      : store_(store), placer_(placer), agents_(agents), nodes_(std::move(nodes)), clock_(clock) {}

  Status Reconcile();
  Status OnReport(const cluster::ReplicaReport& report);

  // An assignment or removal the agent has not acknowledged in its reports
  // is sent again after this long.
  static constexpr int64_t kResendMs = 10'000;

 private:
  struct Pass;
  Status ReconcileDeployment(Pass& pass, const DeploymentSpec& d,
                             std::vector<ReplicaRow>& replicas);
  Status Place(Pass& pass, const DeploymentSpec& d, ReplicaRow& r);
  void SendAssignment(const Pass& pass, const DeploymentSpec& d, const ReplicaRow& r);
  Status Finish(ReplicaRow& r, const std::string& reason, const std::string& message);
  Status Event(const ReplicaRow& r, bool warning, const std::string& reason,
               const std::string& message);
  bool Due(int64_t replica_id, int64_t now);

  DeploymentStore* store_;
  placement::Placer* placer_;
  AgentLink* agents_;
  NodesFn nodes_;
  const Clock* clock_;
  std::mutex mu_;
  std::map<int64_t, int64_t> last_sent_ms_;           // GUARDED_BY(mu_): replica id → time
  std::map<int64_t, std::string> last_refusal_;       // GUARDED_BY(mu_): replica id → message
};

}  // namespace hai::scheduler
