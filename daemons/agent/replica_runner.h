#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "daemons/agent/launch_plan.h"
#include "daemons/agent/port_pool.h"
#include "daemons/agent/replica_supervisor.h"
#include "lib/base/clock.h"
#include "lib/cluster/replica_wire.h"

namespace hai::agent {

// The engine replicas this agent runs, by id: what the scheduler's PUT and
// DELETE change and what the agent reports. Thread-safe.
class ReplicaRunner {
 public:
  struct Settings {
    std::string node;
    std::string replicas_dir;  // <replicas_dir>/<replica id> is each replica's work_dir
    SupervisorSettings supervisor;
  };
  // Receives the full report after every change, on the changing thread:
  // must not block (hand it to a queue).
  using ReportSink = std::function<void(cluster::ReplicaReport)>;

  // `weights` may be null: each assignment's model_path is then used as it is.
  ReplicaRunner(Settings settings, const LaunchPlanner* planner, PortPool* ports,
                const Clock* clock, ReportSink sink, const ModelWeights* weights = nullptr);
  ~ReplicaRunner();  // Stop()

  // Kills what a previous run of this agent left and empties replicas_dir.
  // Once, before the first Apply. Returns how many processes it killed.
  int CleanUpPreviousRun();

  // Starts, keeps or replaces the replica (see ReplicaSupervisor::Assign).
  Result<cluster::ReplicaStatus> Apply(const cluster::ReplicaAssignment& a);
  // Stops and then forgets the replica; NotFound when unknown.
  Result<cluster::ReplicaStatus> Remove(const std::string& replica_id);

  struct View {
    cluster::ReplicaStatus status;
    cluster::ReplicaAssignment assignment;
    pid_t process_group = 0;
    std::string log_path;
    int log_keep = 0;
    bool removing = false;
  };
  std::vector<View> List();
  std::optional<View> Find(const std::string& replica_id);
  cluster::ReplicaReport Report();

  // True once Stop() began: long-running readers (log followers) end.
  bool stopping() const;
  // Stops every engine (in parallel, each within the stop grace) and reports nothing more.
  void Stop();

 private:
  void ReapLocked();
  void Changed();
  View ViewOf(const ReplicaSupervisor& s) const;

  const Settings settings_;
  const LaunchPlanner* planner_;
  PortPool* ports_;
  const Clock* clock_;
  ReportSink sink_;
  const ModelWeights* weights_;

  std::mutex
      report_mu_;  // a report is built and queued in one step, so queued reports keep their order
  mutable std::mutex mu_;
  bool stopping_ = false;                                               // GUARDED_BY(mu_)
  std::map<std::string, std::unique_ptr<ReplicaSupervisor>> replicas_;  // GUARDED_BY(mu_)
};

}  // namespace hai::agent
