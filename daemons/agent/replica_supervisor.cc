#include "daemons/agent/replica_supervisor.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "lib/http/client.h"
#include "lib/log/log.h"

namespace hai::agent {
namespace {

using cluster::ReplicaPhase;
using Clock = std::chrono::steady_clock;

// How often the loop looks at the process when nothing else is due: the
// latency of noticing an exit.
constexpr std::chrono::milliseconds kTick{200};
constexpr std::chrono::seconds kFetchReportEvery{1};

std::string Seconds(std::chrono::milliseconds d) {
  return std::to_string((d.count() + 999) / 1000) + " s";
}

}  // namespace

ReplicaSupervisor::ReplicaSupervisor(const cluster::ReplicaAssignment& assignment,
                                     std::string work_dir, SupervisorSettings settings,
                                     SupervisorDeps deps)
    : work_dir_(std::move(work_dir)),
      settings_(std::move(settings)),
      deps_(std::move(deps)),
      desired_(assignment) {
  status_.replica_id = assignment.replica_id;
  status_.generation = assignment.generation;
  status_.phase = ReplicaPhase::kPending;
  status_.message = "assigned to this node";
  status_.since_ms = deps_.clock->NowMs();
}

ReplicaSupervisor::~ReplicaSupervisor() {
  Shutdown();
  if (thread_.joinable()) thread_.join();
}

void ReplicaSupervisor::Start() {
  thread_ = std::thread([this] { Run(); });
}

Status ReplicaSupervisor::Assign(const cluster::ReplicaAssignment& a) {
  std::lock_guard lock(mu_);
  if (goal_ != Goal::kRun)
    return Status::FailedPrecondition(
        "replica " + a.replica_id +
        " is being stopped; send the assignment again once it has stopped");
  if (a.generation < desired_.generation)
    return Status::FailedPrecondition(
        "replica " + a.replica_id + " runs generation " + std::to_string(desired_.generation) +
        "; this assignment has the older generation " + std::to_string(a.generation));
  if (a.generation == desired_.generation) return Status::Ok();
  desired_ = a;
  changed_ = true;
  wake_.notify_all();
  return Status::Ok();
}

void ReplicaSupervisor::Remove() {
  std::lock_guard lock(mu_);
  if (goal_ == Goal::kRun) goal_ = Goal::kRemove;
  changed_ = true;
  wake_.notify_all();
}

void ReplicaSupervisor::Shutdown() {
  std::lock_guard lock(mu_);
  goal_ = Goal::kShutdown;
  changed_ = true;
  wake_.notify_all();
}

cluster::ReplicaStatus ReplicaSupervisor::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

cluster::ReplicaAssignment ReplicaSupervisor::assignment() const {
  std::lock_guard lock(mu_);
  return desired_;
}

bool ReplicaSupervisor::removing() const {
  std::lock_guard lock(mu_);
  return goal_ != Goal::kRun;
}

pid_t ReplicaSupervisor::process_group() const {
  std::lock_guard lock(mu_);
  return status_.pid;
}

void ReplicaSupervisor::SetStatus(ReplicaPhase phase, const std::string& reason,
                                  const std::string& message,
                                  const std::function<void(cluster::ReplicaStatus&)>& edit) {
  {
    std::lock_guard lock(mu_);
    if (status_.phase != phase) status_.since_ms = deps_.clock->NowMs();
    status_.phase = phase;
    status_.reason = reason;
    status_.message = message;
    if (current_) status_.generation = current_->generation;
    if (edit) edit(status_);
  }
  log::Info("replica", {{"replica", status_.replica_id},
                        {"phase", std::string(cluster::ReplicaPhaseName(phase))},
                        {"reason", reason},
                        {"message", message}});
  if (deps_.on_change) deps_.on_change();
}

void ReplicaSupervisor::Run() {
  for (;;) {
    Goal goal;
    cluster::ReplicaAssignment desired;
    {
      std::unique_lock lock(mu_);
      // Sleep until the next thing is due, or a request arrives.
      TimePoint due = Clock::now() + kTick;
      if (process_) due = std::min(due, next_probe_);
      wake_.wait_until(lock, due, [this] { return changed_; });
      changed_ = false;
      goal = goal_;
      desired = desired_;
    }
    if (goal == Goal::kShutdown) {
      StopProcess("the agent is stopping");
      model_lease_.reset();
      if (port_) deps_.ports->Release(port_);
      return;
    }
    if (goal == Goal::kRemove) {
      FinishRemoval();
      return;
    }
    if (!current_ || current_->generation != desired.generation) {
      Replace(desired);
      continue;
    }
    Tick();
  }
}

void ReplicaSupervisor::FinishRemoval() {
  StopProcess("the replica was deleted");
  model_lease_.reset();
  if (port_) deps_.ports->Release(port_);
  log_.reset();
  std::error_code ec;
  std::filesystem::remove_all(work_dir_, ec);
  if (ec)
    log::Warn("cannot remove a replica directory", {{"path", work_dir_}, {"error", ec.message()}});
  SetStatus(ReplicaPhase::kStopped, "Stopped", "stopped and removed",
            [](cluster::ReplicaStatus& s) { s.pid = 0; });
  finished_ = true;  // after the Stopped report: the runner may forget it now
}

void ReplicaSupervisor::Replace(const cluster::ReplicaAssignment& a) {
  if (current_) StopProcess("replaced by generation " + std::to_string(a.generation));
  current_ = a;
  backoff_step_ = 0;
  failed_for_good_ = false;
  {
    std::lock_guard lock(mu_);
    status_.restarts = 0;
    status_.exit_code.reset();
    status_.signal.reset();
  }
  Launch(false);
}

void ReplicaSupervisor::Launch(bool restart) {
  // A kept port is reused (the replica's address stays) unless something
  // else took it while the engine was down.
  if (port_ && !PortPool::Bindable(port_)) {
    deps_.ports->Release(port_);
    port_ = 0;
  }
  if (!port_) {
    auto port = deps_.ports->Acquire();
    if (!port.ok()) {
      ScheduleRestart(port.status().message());
      return;
    }
    port_ = *port;
  }
  std::error_code ec;
  std::filesystem::create_directories(work_dir_, ec);
  if (ec) return FailToStart("cannot create " + work_dir_ + ": " + ec.message());
  ::chmod(work_dir_.c_str(), 0700);
  if (!log_) {
    auto log =
        std::make_unique<RotatingLog>(log_path(), settings_.log_max_bytes, settings_.log_keep);
    if (Status st = log->Open(); !st.ok()) return FailToStart(st.message());
    log_ = std::move(log);
  }
  cluster::ReplicaAssignment to_run = *current_;
  if (deps_.weights) {
    std::optional<std::string> weights = LocateWeights();
    if (!weights) return;  // cancelled (Run() takes the new goal) or backing off
    to_run.model_path = *weights;
  }
  auto spec = deps_.planner->Plan(to_run, work_dir_, port_);
  if (!spec.ok()) {
    log_->Note("cannot launch generation " + std::to_string(current_->generation) + ": " +
               spec.status().message());
    return FailToStart(spec.status().message());
  }
  log_->Note("starting generation " + std::to_string(current_->generation) +
             (restart ? " (restart)" : "") + ": " + engine_profile::DisplayCommand(spec->argv));
  auto process = ReplicaProcess::Start(*spec, log_.get(), work_dir_ + "/engine.pid");
  if (!process.ok()) {
    log_->Note("cannot start: " + process.status().message());
    return FailToStart(process.status().message());
  }
  process_ = std::move(*process);
  health_path_ = spec->health_path;
  ready_timeout_ = std::chrono::seconds(spec->ready_timeout_s);
  started_at_ = Clock::now();
  next_probe_ = started_at_ + settings_.probe_interval;
  probe_failures_ = 0;
  pid_t pid = process_->pid();
  int port = port_;
  std::string address = "http://" + settings_.address_host + ":" + std::to_string(port);
  SetStatus(ReplicaPhase::kStarting, restart ? "Restarted" : "Starting",
            "process " + std::to_string(pid) + " started; waiting for " + health_path_,
            [&](cluster::ReplicaStatus& s) {
              s.pid = pid;
              s.port = port;
              s.address = address;
              if (restart) ++s.restarts;
            });
}

bool ReplicaSupervisor::Superseded() const {
  std::lock_guard lock(mu_);
  return goal_ != Goal::kRun || desired_.generation != current_->generation;
}

std::optional<std::string> ReplicaSupervisor::LocateWeights() {
  const int64_t model_id = current_->model_id;
  bool fetching = false;
  TimePoint last_report{};
  auto progress = [&](int64_t done, int64_t total) {
    const TimePoint now = Clock::now();
    // Reported at most once a second (each report goes to the scheduler),
    // and always at the end.
    if (fetching && now - last_report < kFetchReportEvery && done < total) return;
    if (!fetching && log_)
      log_->Note("fetching model " + std::to_string(model_id) + " from the scheduler");
    fetching = true;
    last_report = now;
    const int64_t percent = total > 0 ? done * 100 / total : 100;
    SetStatus(ReplicaPhase::kStarting, "FetchingModel",
              "fetching model " + std::to_string(model_id) + ": " + std::to_string(done) + " of " +
                  std::to_string(total) + " bytes (" + std::to_string(percent) + "%)",
              [](cluster::ReplicaStatus& s) { s.pid = 0; });
  };
  auto local = deps_.weights->Locate(*current_, progress, [this] { return Superseded(); });
  if (Superseded()) return std::nullopt;
  if (!local.ok()) {
    const std::string why = local.status().message();
    if (log_) log_->Note("cannot fetch the model: " + why);
    SetStatus(ReplicaPhase::kFailed, "FetchFailed", why,
              [](cluster::ReplicaStatus& s) { s.pid = 0; });
    // Retried with the crash back-off, not held until a new generation like
    // FailedToStart: what makes a fetch fail usually passes (the scheduler
    // restarting, a full disk cleaned up, weights imported again), a retry
    // of a cached or missing model costs one small request, and the growing
    // delay keeps a lasting fault from hammering the control node.
    ScheduleRestart(why);
    return std::nullopt;
  }
  if (fetching && log_) log_->Note("model " + std::to_string(model_id) + " is in " + local->path);
  model_lease_ = std::move(local->lease);  // lets go of the previous one, if any
  return local->path;
}

void ReplicaSupervisor::FailToStart(const std::string& why) {
  failed_for_good_ = true;
  SetStatus(ReplicaPhase::kFailed, "FailedToStart", why,
            [](cluster::ReplicaStatus& s) { s.pid = 0; });
}

void ReplicaSupervisor::Tick() {
  if (failed_for_good_) return;
  if (!process_) {
    if (Clock::now() >= next_start_) Launch(true);
    return;
  }
  if (auto exit = process_->Poll()) return OnExit(*exit);
  if (Clock::now() >= next_probe_) Probe();
}

bool ReplicaSupervisor::Healthy() const {
  http::Client client(settings_.probe_host, port_, 1000);
  auto r = client.Send("GET", health_path_);
  return r.ok() && r->status == 200;
}

void ReplicaSupervisor::Probe() {
  bool healthy = Healthy();
  TimePoint now = Clock::now();
  next_probe_ = now + settings_.probe_interval;
  ReplicaPhase phase = status().phase;
  if (phase == ReplicaPhase::kStarting) {
    if (healthy) {
      ready_since_ = now;
      probe_failures_ = 0;
      SetStatus(ReplicaPhase::kReady, "Ready", health_path_ + " answered 200");
    } else if (now - started_at_ > ready_timeout_) {
      KillUnhealthy("no healthy answer from " + health_path_ + " within " +
                    std::to_string(ready_timeout_.count()) + " s");
    }
    return;
  }
  if (healthy) {
    probe_failures_ = 0;
    if (backoff_step_ > 0 && now - ready_since_ >= settings_.stable_after) backoff_step_ = 0;
    return;
  }
  if (++probe_failures_ >= settings_.unhealthy_probes)
    KillUnhealthy(std::to_string(probe_failures_) + " health probes of " + health_path_ +
                  " failed in a row");
}

void ReplicaSupervisor::OnExit(const ProcessExit& exit) {
  process_.reset();
  std::string what = exit.Describe();
  if (log_) log_->Note("engine " + what);
  SetStatus(ReplicaPhase::kFailed, "Crashed", what, [&](cluster::ReplicaStatus& s) {
    s.pid = 0;
    s.exit_code = exit.exit_code;
    s.signal = exit.signal;
  });
  ScheduleRestart(what);
}

void ReplicaSupervisor::KillUnhealthy(const std::string& why) {
  if (log_) log_->Note("unhealthy: " + why + "; stopping the engine");
  SetStatus(ReplicaPhase::kFailed, "Unhealthy", why);
  StopProcess("unhealthy");
  {
    std::lock_guard lock(mu_);
    status_.pid = 0;
  }
  ScheduleRestart(why);
}

void ReplicaSupervisor::ScheduleRestart(const std::string& why) {
  // 10 s · 2^n, capped; the exponent is capped too so the shift cannot overflow.
  auto delay = settings_.backoff * (int64_t{1} << std::min(backoff_step_, 20));
  delay = std::min<std::chrono::milliseconds>(delay, settings_.backoff_max);
  backoff_step_ = std::min(backoff_step_ + 1, 20);
  next_start_ = Clock::now() + delay;
  SetStatus(ReplicaPhase::kFailed, "BackOff", why + "; restarting in " + Seconds(delay),
            [](cluster::ReplicaStatus& s) { s.pid = 0; });
}

void ReplicaSupervisor::StopProcess(const std::string& why) {
  if (!process_) return;
  if (log_) log_->Note("stopping the engine: " + why);
  ProcessExit exit = process_->Stop(settings_.stop_grace);
  if (log_) log_->Note("engine stopped: " + exit.Describe());
  process_.reset();
}

}  // namespace hai::agent
