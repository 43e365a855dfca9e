#include "daemons/scheduler/deployment_controller.h"

#include <algorithm>
#include <set>

#include "lib/accel/device.h"
#include "lib/log/log.h"

namespace hai::scheduler {
namespace {

std::string JoinDevices(const std::vector<int>& devices) {
  std::string out;
  for (int d : devices) out += (out.empty() ? "" : ",") + std::to_string(d);
  return out;
}

bool IsWarning(const std::string& reason) {
  static const std::set<std::string> kWarnings = {"Crashed",       "Unhealthy", "BackOff",
                                                  "FailedToStart", "NodeLost",  "FailedScheduling",
                                                  "FetchFailed"};
  return kWarnings.count(reason) > 0;
}

}  // namespace

// One pass's snapshot of the nodes.
struct DeploymentController::Pass {
  int64_t now = 0;
  std::map<std::string, NodeInfo> nodes;

  const NodeInfo* Ready(const std::string& name) const {
    auto it = nodes.find(name);
    return it != nodes.end() && it->second.ready ? &it->second : nullptr;
  }
};

Status DeploymentController::Event(const ReplicaRow& r, bool warning, const std::string& reason,
                                   const std::string& message) {
  log::Info("replica event", {{"replica", r.name}, {"reason", reason}, {"message", message}});
  return store_->AddEvent(r, clock_->NowMs(), warning ? "Warning" : "Normal", reason, message);
}

bool DeploymentController::Due(int64_t replica_id, int64_t now) {
  auto it = last_sent_ms_.find(replica_id);
  if (it != last_sent_ms_.end() && now - it->second < kResendMs) return false;
  last_sent_ms_[replica_id] = now;
  return true;
}

Status DeploymentController::Reconcile() {
  std::lock_guard lock(mu_);
  Pass pass;
  pass.now = clock_->NowMs();
  for (NodeInfo& n : nodes_()) pass.nodes[n.name] = std::move(n);
  HAI_ASSIGN_OR_RETURN(std::vector<DeploymentSpec> deployments, store_->Deployments());
  HAI_ASSIGN_OR_RETURN(std::vector<ReplicaRow> replicas, store_->Replicas());
  std::map<int64_t, std::vector<ReplicaRow>> by_deployment;
  for (ReplicaRow& r : replicas) by_deployment[r.deployment_id].push_back(std::move(r));
  Status first_error;
  for (const DeploymentSpec& d : deployments) {
    Status st = ReconcileDeployment(pass, d, by_deployment[d.id]);
    if (!st.ok()) {
      log::Error("cannot reconcile a deployment",
                 {{"deployment", d.id}, {"error", st.ToString()}});
      if (first_error.ok()) first_error = st;
    }
    if (d.state == "deleting" && by_deployment[d.id].empty())
      HAI_RETURN_IF_ERROR(store_->DeleteDeploymentIfDone(d.id));
  }
  return first_error;
}

Status DeploymentController::ReconcileDeployment(Pass& pass, const DeploymentSpec& d,
                                                 std::vector<ReplicaRow>& replicas) {
  // A replica whose node is gone is released and dropped; the count below
  // then brings a replacement.
  for (auto it = replicas.begin(); it != replicas.end();) {
    if (it->node.empty() || pass.Ready(it->node)) {
      ++it;
      continue;
    }
    HAI_RETURN_IF_ERROR(Event(*it, true, "NodeLost",
                              "node " + it->node + " stopped answering; the replica is replaced"));
    HAI_RETURN_IF_ERROR(placer_->Release(it->WireId()).status());
    HAI_RETURN_IF_ERROR(store_->DeleteReplica(it->id));
    last_sent_ms_.erase(it->id);
    it = replicas.erase(it);
  }

  const int desired = d.state == "active" ? d.replicas : 0;
  std::vector<ReplicaRow*> live;
  for (ReplicaRow& r : replicas)
    if (!r.stopping) live.push_back(&r);
  std::sort(live.begin(), live.end(),
            [](const ReplicaRow* a, const ReplicaRow* b) { return a->ordinal < b->ordinal; });
  // Too many: the newest go first.
  for (int i = static_cast<int>(live.size()) - 1; i >= desired; --i) {
    ReplicaRow& r = *live[static_cast<size_t>(i)];
    r.stopping = true;
    r.updated_at = pass.now;
    HAI_RETURN_IF_ERROR(store_->UpdateReplica(r));
    HAI_RETURN_IF_ERROR(Event(r, false, "Stopping",
                              d.state == "active" ? "scaled down to " + std::to_string(desired)
                                                  : "the deployment is " + d.state));
    last_sent_ms_.erase(r.id);
  }
  // Too few.
  for (int i = static_cast<int>(live.size()); i < desired; ++i) {
    HAI_ASSIGN_OR_RETURN(ReplicaRow r, store_->AddReplica(d, pass.now));
    HAI_RETURN_IF_ERROR(Event(r, false, "Created", "replica " + r.name + " of " + d.service));
    replicas.push_back(std::move(r));
  }

  for (auto it = replicas.begin(); it != replicas.end();) {
    ReplicaRow& r = *it;
    if (r.stopping) {
      const NodeInfo* node = pass.Ready(r.node);
      if (r.node.empty() || r.status == cluster::ReplicaPhase::kStopped || node == nullptr) {
        HAI_RETURN_IF_ERROR(Finish(r, "Stopped", "removed"));
        it = replicas.erase(it);
        continue;
      }
      if (Due(r.id, pass.now)) agents_->Remove(node->agent_url, r.WireId());
    } else if (r.node.empty()) {
      HAI_RETURN_IF_ERROR(Place(pass, d, r));
    } else if (r.generation != d.generation ||
               (r.status == cluster::ReplicaPhase::kPending && Due(r.id, pass.now))) {
      // A new generation (arguments or environment changed) restarts the
      // process; a Pending one the agent has not acknowledged is sent again.
      if (r.generation != d.generation) {
        r.generation = d.generation;
        r.updated_at = pass.now;
        HAI_RETURN_IF_ERROR(store_->UpdateReplica(r));
        last_sent_ms_[r.id] = pass.now;
      }
      SendAssignment(pass, d, r);
    }
    ++it;
  }
  return Status::Ok();
}

Status DeploymentController::Place(Pass& pass, const DeploymentSpec& d, ReplicaRow& r) {
  placement::PlacementRequest request;
  request.cluster = d.cluster;
  request.vendor = d.vendor;
  request.model = d.device_model;
  request.devices_per_replica = d.devices_per_replica;
  request.memory_mib = d.memory_mib;
  request.replicas = 1;
  HAI_ASSIGN_OR_RETURN(placement::Decision decision,
                       placer_->PlaceAndBind(request, r.WireId(), pass.now));
  if (!decision.feasible || decision.replicas.empty()) {
    std::string why;
    for (const placement::Refusal& refusal : decision.reasons)
      why += (why.empty() ? "" : "; ") +
             (refusal.node.empty() ? refusal.message : refusal.node + ": " + refusal.message);
    if (why.empty()) why = "no node has room";
    // One event per distinct reason, not one per pass.
    if (last_refusal_[r.id] != why) {
      last_refusal_[r.id] = why;
      r.reason = "FailedScheduling";
      r.message = why;
      r.updated_at = pass.now;
      HAI_RETURN_IF_ERROR(store_->UpdateReplica(r));
      HAI_RETURN_IF_ERROR(Event(r, true, "FailedScheduling", why));
    }
    return Status::Ok();
  }
  last_refusal_.erase(r.id);
  const placement::ReplicaPlacement& p = decision.replicas.front();
  r.node = p.node;
  r.devices = p.device_indices;
  r.generation = d.generation;
  r.reason = "Scheduled";
  r.message = "on " + p.node +
              (p.device_indices.empty() ? "" : ", devices " + JoinDevices(p.device_indices));
  r.updated_at = pass.now;
  HAI_RETURN_IF_ERROR(store_->UpdateReplica(r));
  HAI_RETURN_IF_ERROR(Event(r, false, "Scheduled", r.message));
  last_sent_ms_[r.id] = pass.now;
  SendAssignment(pass, d, r);
  return Status::Ok();
}

void DeploymentController::SendAssignment(const Pass& pass, const DeploymentSpec& d,
                                          const ReplicaRow& r) {
  const NodeInfo* node = pass.Ready(r.node);
  if (node == nullptr) return;
  cluster::ReplicaAssignment a;
  a.replica_id = r.WireId();
  a.deployment_id = std::to_string(d.id);
  a.service = d.service;
  a.engine = d.engine;
  a.model_path = d.model_path;
  a.model_id = d.model_id;
  a.model_digest = d.model_digest;
  a.vendor = accel::ParseVendor(d.vendor).value_or(accel::Vendor::kCpu);
  a.device_ids = r.devices;
  a.simulated = node->simulated;
  a.params = d.params;
  a.args = d.args;
  a.env = d.env;
  a.generation = r.generation;
  agents_->Assign(node->agent_url, a);
}

// A replica that is gone for good: its devices back to the pool, its row
// removed (its events stay).
Status DeploymentController::Finish(ReplicaRow& r, const std::string& reason,
                                    const std::string& message) {
  HAI_RETURN_IF_ERROR(placer_->Release(r.WireId()).status());
  HAI_RETURN_IF_ERROR(Event(r, false, reason, message));
  HAI_RETURN_IF_ERROR(store_->DeleteReplica(r.id));
  last_sent_ms_.erase(r.id);
  last_refusal_.erase(r.id);
  return Status::Ok();
}

Status DeploymentController::OnReport(const cluster::ReplicaReport& report) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_->NowMs();
  HAI_ASSIGN_OR_RETURN(std::vector<ReplicaRow> rows, store_->Replicas());
  std::map<int64_t, ReplicaRow*> by_id;
  for (ReplicaRow& r : rows) by_id[r.id] = &r;
  std::string agent_url;
  for (const NodeInfo& n : nodes_())
    if (n.name == report.node) agent_url = n.agent_url;

  std::set<int64_t> reported;
  for (const cluster::ReplicaStatus& s : report.replicas) {
    reported.insert(ReplicaIdFromWire(s.replica_id));
    auto it = by_id.find(ReplicaIdFromWire(s.replica_id));
    ReplicaRow* r = it == by_id.end() ? nullptr : it->second;
    if (r == nullptr || r->node != report.node) {
      // Not ours to run there (deleted, or moved after a node loss).
      if (!agent_url.empty() && s.phase != cluster::ReplicaPhase::kStopped)
        agents_->Remove(agent_url, s.replica_id);
      continue;
    }
    if (s.generation != r->generation) continue;  // an old process's last words
    const bool changed = r->status != s.phase || r->reason != s.reason || r->message != s.message;
    // A download's progress changes only the message: the row shows it, but
    // one event for the start of the fetch is enough.
    const bool progress_only =
        r->status == s.phase && r->reason == s.reason && s.reason == "FetchingModel";
    r->status = s.phase;
    r->reason = s.reason;
    r->message = s.message;
    r->pid = s.pid;
    r->address = s.address;
    r->restarts = s.restarts;
    if (changed || r->pid != s.pid) {
      r->updated_at = now;
      HAI_RETURN_IF_ERROR(store_->UpdateReplica(*r));
    }
    if (changed && !progress_only)
      HAI_RETURN_IF_ERROR(
          Event(*r, IsWarning(s.reason), s.reason.empty() ? "Updated" : s.reason,
                s.message.empty() ? std::string(cluster::ReplicaPhaseName(s.phase)) : s.message));
    if (r->stopping && s.phase == cluster::ReplicaPhase::kStopped)
      HAI_RETURN_IF_ERROR(Finish(*r, "Stopped", "the agent stopped it"));
    else
      last_sent_ms_[r->id] = now;  // acknowledged: no resend while reports keep coming
  }

  // Replicas placed on this node that its agent does not run: a stopping one
  // is done; another was lost (the agent restarted) or its assignment never
  // arrived, and is sent again once the last sending is old enough.
  std::vector<const ReplicaRow*> resend;
  for (ReplicaRow& r : rows) {
    if (r.node != report.node || reported.count(r.id) > 0) continue;
    if (r.stopping) {
      HAI_RETURN_IF_ERROR(Finish(r, "Stopped", "the agent no longer runs it"));
      continue;
    }
    if (agent_url.empty() || !Due(r.id, now)) continue;
    if (r.status != cluster::ReplicaPhase::kPending) {
      r.status = cluster::ReplicaPhase::kPending;
      r.reason = "Reassigned";
      r.message = "the agent on " + r.node + " no longer runs it; sent again";
      r.pid = 0;
      r.address.clear();
      r.updated_at = now;
      HAI_RETURN_IF_ERROR(store_->UpdateReplica(r));
      HAI_RETURN_IF_ERROR(Event(r, true, r.reason, r.message));
    }
    resend.push_back(&r);
  }
  if (resend.empty()) return Status::Ok();
  Pass pass;
  pass.now = now;
  for (NodeInfo& n : nodes_()) pass.nodes[n.name] = std::move(n);
  HAI_ASSIGN_OR_RETURN(std::vector<DeploymentSpec> deployments, store_->Deployments());
  for (const ReplicaRow* r : resend) {
    for (const DeploymentSpec& d : deployments)
      if (d.id == r->deployment_id) SendAssignment(pass, d, *r);
  }
  return Status::Ok();
}

}  // namespace hai::scheduler
