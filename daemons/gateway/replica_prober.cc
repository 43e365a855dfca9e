#include "daemons/gateway/replica_prober.h"

#include "lib/http/client.h"
#include "lib/log/log.h"

namespace hai::gateway {
namespace {

using namespace std::chrono_literals;

constexpr auto kRound = 250ms;
constexpr int kProbeTimeoutMs = 2000;

}  // namespace

ReplicaProber::ReplicaProber(RouteMap* routes, GatewayMetrics* metrics, const Clock* clock,
                             int connect_timeout_ms, int64_t max_eject_ms)
    : routes_(routes),
      metrics_(metrics),
      clock_(clock),
      connect_timeout_ms_(connect_timeout_ms),
      max_eject_ms_(max_eject_ms) {}

ReplicaProber::~ReplicaProber() { Stop(); }

void ReplicaProber::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ReplicaProber::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  thread_.join();
}

void ReplicaProber::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, kRound, [this] { return stopping_; })) {
    lock.unlock();
    ProbeDue();
    lock.lock();
  }
}

void ReplicaProber::ProbeDue() {
  for (const auto& replica : routes_->Replicas()) {
    if (!replica->ProbeDue(clock_->NowMs())) continue;
    http::Client client(replica->host(), replica->port(), kProbeTimeoutMs);
    client.SetConnectTimeout(connect_timeout_ms_);
    auto r = client.Send("GET", "/health");
    if (r.ok() && r->status == 200) {
      replica->Reinstate();
      metrics_->probes->Add({{"result", "ok"}}, 1);
      log::Info("replica back in rotation",
                {{"replica", replica->id()}, {"address", replica->address()}});
      continue;
    }
    replica->ProbeFailed(clock_->NowMs(), max_eject_ms_);
    metrics_->probes->Add({{"result", "failed"}}, 1);
  }
}

}  // namespace hai::gateway
