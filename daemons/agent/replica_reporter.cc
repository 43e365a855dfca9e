#include "daemons/agent/replica_reporter.h"

#include <nlohmann/json.hpp>

#include "lib/log/log.h"

namespace hai::agent {
namespace {

// Reports waiting while the scheduler is away; beyond this the oldest go
// (the newest is the truth that matters).
constexpr size_t kMaxQueued = 256;

}  // namespace

ReplicaReporter::ReplicaReporter(Settings settings, std::function<cluster::ReplicaReport()> current)
    : settings_(std::move(settings)), current_(std::move(current)) {
  client_ =
      std::make_unique<http::Client>(settings_.scheduler_host, settings_.scheduler_port, 3000);
}

ReplicaReporter::~ReplicaReporter() { Stop(); }

void ReplicaReporter::Enqueue(cluster::ReplicaReport report) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  if (queue_.size() >= kMaxQueued) queue_.pop_front();
  queue_.push_back(std::move(report));
  wake_.notify_all();
}

int64_t ReplicaReporter::sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

Status ReplicaReporter::Send(const cluster::ReplicaReport& report) {
  auto r = client_->Send("POST", "/internal/v1/nodes/" + settings_.node + "/replicas",
                         cluster::ToJson(report).dump(),
                         {{"Authorization", "Bearer " + settings_.token}});
  if (!r.ok()) return r.status();
  if (r->status == 404)
    return Status::NotFound("the scheduler does not take replica reports (404)");
  if (r->status != 200 && r->status != 204)
    return Status::Internal("replica report refused: HTTP " + std::to_string(r->status) + " " +
                            r->body.substr(0, 200));
  std::lock_guard lock(mu_);
  ++sent_;
  return Status::Ok();
}

void ReplicaReporter::Run() {
  Status last;
  for (;;) {
    std::optional<cluster::ReplicaReport> next;
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, settings_.interval, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      if (!queue_.empty()) {
        next = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    Status st = Send(next ? *next : current_());
    // An older scheduler without the route (404) or one not yet up is worth
    // a debug line; a refused report a warning, once until it changes.
    if (!st.ok() && st.message() != last.message()) {
      if (st.code() == Code::kNotFound || st.code() == Code::kUnavailable)
        log::Debug("replica report not delivered",
                   {{"node", settings_.node}, {"error", st.message()}});
      else
        log::Warn("replica report not delivered",
                  {{"node", settings_.node}, {"error", st.message()}});
    }
    last = st;
  }
}

void ReplicaReporter::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ReplicaReporter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace hai::agent
