#include "daemons/agent/replica_runner.h"

#include "daemons/agent/leftover_engines.h"
#include "lib/log/log.h"

namespace hai::agent {

ReplicaRunner::ReplicaRunner(Settings settings, const LaunchPlanner* planner, PortPool* ports,
                             const Clock* clock, ReportSink sink, const ModelWeights* weights)
    : settings_(std::move(settings)),
      planner_(planner),
      ports_(ports),
      clock_(clock),
      sink_(std::move(sink)),
      weights_(weights) {}

ReplicaRunner::~ReplicaRunner() { Stop(); }

int ReplicaRunner::CleanUpPreviousRun() {
  int killed = KillLeftoverEngines(settings_.replicas_dir);
  if (killed > 0)
    log::Warn("killed engine processes of a previous run",
              {{"count", killed}, {"dir", settings_.replicas_dir}});
  return killed;
}

void ReplicaRunner::ReapLocked() {
  for (auto it = replicas_.begin(); it != replicas_.end();) {
    // A finished supervisor's thread has nothing left to do, so joining it
    // here is immediate; its own thread must not join itself.
    if (it->second->finished() && !it->second->OnOwnThread())
      it = replicas_.erase(it);
    else
      ++it;
  }
}

void ReplicaRunner::Changed() {
  std::lock_guard order(report_mu_);
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
  }
  if (sink_) sink_(Report());
}

Result<cluster::ReplicaStatus> ReplicaRunner::Apply(const cluster::ReplicaAssignment& a) {
  std::lock_guard lock(mu_);
  if (stopping_) return Status::Unavailable("the agent is stopping");
  ReapLocked();
  auto it = replicas_.find(a.replica_id);
  if (it != replicas_.end() && it->second->finished()) {
    // Stopped and reported, its thread just ending: a new life for the id.
    replicas_.erase(it);
    it = replicas_.end();
  }
  if (it != replicas_.end()) {
    HAI_RETURN_IF_ERROR(it->second->Assign(a));
    return it->second->status();
  }
  SupervisorDeps deps{planner_, ports_, clock_, [this] { Changed(); }, weights_};
  auto supervisor = std::make_unique<ReplicaSupervisor>(
      a, settings_.replicas_dir + "/" + a.replica_id, settings_.supervisor, deps);
  ReplicaSupervisor* s = supervisor.get();
  replicas_[a.replica_id] = std::move(supervisor);
  s->Start();
  log::Info("replica assigned", {{"replica", a.replica_id},
                                 {"deployment", a.deployment_id},
                                 {"engine", a.engine},
                                 {"generation", static_cast<long long>(a.generation)}});
  return s->status();
}

Result<cluster::ReplicaStatus> ReplicaRunner::Remove(const std::string& replica_id) {
  std::lock_guard lock(mu_);
  ReapLocked();
  auto it = replicas_.find(replica_id);
  if (it == replicas_.end() || it->second->finished())
    return Status::NotFound("no replica " + replica_id + " on this node");
  it->second->Remove();
  return it->second->status();
}

ReplicaRunner::View ReplicaRunner::ViewOf(const ReplicaSupervisor& s) const {
  return View{s.status(),   s.assignment(), s.process_group(),
              s.log_path(), s.log_keep(),   s.removing()};
}

std::vector<ReplicaRunner::View> ReplicaRunner::List() {
  std::lock_guard lock(mu_);
  ReapLocked();
  std::vector<View> out;
  for (const auto& [id, s] : replicas_)
    if (!s->finished()) out.push_back(ViewOf(*s));
  return out;
}

std::optional<ReplicaRunner::View> ReplicaRunner::Find(const std::string& replica_id) {
  std::lock_guard lock(mu_);
  ReapLocked();
  auto it = replicas_.find(replica_id);
  if (it == replicas_.end() || it->second->finished()) return std::nullopt;
  return ViewOf(*it->second);
}

cluster::ReplicaReport ReplicaRunner::Report() {
  std::lock_guard lock(mu_);
  ReapLocked();
  cluster::ReplicaReport report{settings_.node, {}};
  // A finished replica not yet forgotten is still in the report: its Stopped
  // reaches the scheduler at least once.
  for (const auto& [id, s] : replicas_) report.replicas.push_back(s->status());
  return report;
}

bool ReplicaRunner::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void ReplicaRunner::Stop() {
  std::map<std::string, std::unique_ptr<ReplicaSupervisor>> all;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    all.swap(replicas_);
  }
  // Every engine is told at once, then each is waited for: the whole stop
  // takes one grace period, not one per replica.
  for (auto& [id, s] : all) s->Shutdown();
  all.clear();
}

}  // namespace hai::agent
