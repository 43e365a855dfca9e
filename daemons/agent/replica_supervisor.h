#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "daemons/agent/engine_log.h"
#include "daemons/agent/launch_plan.h"
#include "daemons/agent/model_weights.h"
#include "daemons/agent/port_pool.h"
#include "daemons/agent/replica_process.h"
#include "lib/base/clock.h"
#include "lib/cluster/replica_wire.h"

namespace hai::agent {

// How a supervisor watches and restarts its engine.
struct SupervisorSettings {
  std::chrono::milliseconds probe_interval{500};
  int unhealthy_probes = 3;  // failed probes in a row that make a Ready engine Unhealthy
  std::chrono::milliseconds backoff{10000};        // 10 s · 2^n …
  std::chrono::milliseconds backoff_max{300000};   // … at most 300 s
  std::chrono::milliseconds stable_after{600000};  // Ready this long: n starts again at 0
  std::chrono::milliseconds stop_grace{10000};
  int64_t log_max_bytes = int64_t{50} << 20;
  int log_keep = 3;
  std::string address_host;  // host part of ReplicaStatus::address
  std::string probe_host;    // where the health probe connects
};

// What a supervisor needs from the agent: fixed for its life.
struct SupervisorDeps {
  const LaunchPlanner* planner;
  PortPool* ports;
  const Clock* clock;  // for since_ms
  // Called, without any supervisor lock held, after every change of status.
  std::function<void()> on_change;
  // Where the weights are on this node (fetched when needed); null: the
  // assignment's model_path as it is.
  const ModelWeights* weights = nullptr;
};

// Runs one replica: launches its engine, probes its health, restarts it after
// a crash with backoff, replaces it for a new generation, stops it. One
// thread per replica runs the whole life of the process (spawn, watch, stop),
// so the parent-death signal stays tied to a thread that outlives the engine.
// Public methods are thread-safe and never block on the process.
class ReplicaSupervisor {
 public:
  ReplicaSupervisor(const cluster::ReplicaAssignment& assignment, std::string work_dir,
                    SupervisorSettings settings, SupervisorDeps deps);
  ~ReplicaSupervisor();  // Shutdown() and join
  ReplicaSupervisor(const ReplicaSupervisor&) = delete;
  ReplicaSupervisor& operator=(const ReplicaSupervisor&) = delete;

  void Start();
  // The same generation changes nothing; a higher one replaces the engine; a
  // lower one, or any while stopping, is FailedPrecondition.
  Status Assign(const cluster::ReplicaAssignment& assignment);
  // Stops the engine, removes the replica's directory and reports Stopped;
  // finished() is true after that report.
  void Remove();
  // The agent is stopping: stop the engine, report nothing.
  void Shutdown();

  cluster::ReplicaStatus status() const;
  cluster::ReplicaAssignment assignment() const;
  bool removing() const;
  bool finished() const { return finished_; }
  // Whether the caller is the supervisor's own thread (which must not join itself).
  bool OnOwnThread() const { return thread_.get_id() == std::this_thread::get_id(); }
  // The engine's process group (its leader's pid), 0 when none runs.
  pid_t process_group() const;
  const std::string& work_dir() const { return work_dir_; }
  std::string log_path() const { return work_dir_ + "/engine.log"; }
  int log_keep() const { return settings_.log_keep; }

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  enum class Goal { kRun, kRemove, kShutdown };

  void Run();
  void Replace(const cluster::ReplicaAssignment& a);
  void Launch(bool restart);
  void Tick();
  void Probe();
  bool Healthy() const;
  void OnExit(const ProcessExit& exit);
  void KillUnhealthy(const std::string& why);
  void ScheduleRestart(const std::string& why);
  void StopProcess(const std::string& why);
  void FailToStart(const std::string& why);
  // The weights' folder on this node for the current assignment, fetched
  // when needed; nullopt when cancelled or failed (then backing off).
  std::optional<std::string> LocateWeights();
  bool Superseded() const;
  void FinishRemoval();
  // Sets phase, reason and message (and whatever `edit` changes) and reports.
  void SetStatus(cluster::ReplicaPhase phase, const std::string& reason, const std::string& message,
                 const std::function<void(cluster::ReplicaStatus&)>& edit = nullptr);

  const std::string work_dir_;
  const SupervisorSettings settings_;
  const SupervisorDeps deps_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  cluster::ReplicaAssignment desired_;  // GUARDED_BY(mu_)
  Goal goal_ = Goal::kRun;              // GUARDED_BY(mu_)
  bool changed_ = false;                // GUARDED_BY(mu_)
  cluster::ReplicaStatus status_;       // GUARDED_BY(mu_)
  std::atomic<bool> finished_{false};
  std::thread thread_;

  // Owned by the supervisor thread.
  std::optional<cluster::ReplicaAssignment> current_;
  std::unique_ptr<RotatingLog> log_;
  std::unique_ptr<ReplicaProcess> process_;
  std::shared_ptr<ModelCache::Lease> model_lease_;  // the cached weights the engine uses
  std::string health_path_;
  std::chrono::seconds ready_timeout_{600};
  int port_ = 0;
  int backoff_step_ = 0;          // n in backoff · 2^n
  bool failed_for_good_ = false;  // FailedToStart: wait for a new generation
  int probe_failures_ = 0;
  TimePoint started_at_{};
  TimePoint ready_since_{};
  TimePoint next_probe_{};
  TimePoint next_start_{};
};

}  // namespace hai::agent
