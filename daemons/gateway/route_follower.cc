#include "daemons/gateway/route_follower.h"

#include <nlohmann/json.hpp>

#include "lib/log/log.h"

namespace hai::gateway {
namespace {

using namespace std::chrono_literals;

constexpr auto kRetryPause = 1000ms;
// The scheduler holds a poll for kWaitMs; a reply later than this is lost.
constexpr int kPollTimeoutMs = static_cast<int>(RouteFollower::kWaitMs) + 10'000;

}  // namespace

RouteFollower::RouteFollower(http::HttpUrl scheduler, std::string cluster_token, RouteMap* routes,
                             GatewayMetrics* metrics)
    : scheduler_(std::move(scheduler)),
      token_(std::move(cluster_token)),
      routes_(routes),
      metrics_(metrics),
      client_(scheduler_.host, scheduler_.port, kPollTimeoutMs) {
  client_.SetConnectTimeout(2000);
}

RouteFollower::~RouteFollower() { Stop(); }

void RouteFollower::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RouteFollower::Stop() {
  if (!thread_.joinable()) return;
  std::unique_lock lock(mu_);
  stopping_ = true;
  cv_.notify_all();
  // A poll may be starting as the flag is set: cut until the thread is out.
  http::CancelUntil(client_, lock, cv_, [this] { return finished_; });
  lock.unlock();
  thread_.join();
}

void RouteFollower::Run() {
  int64_t version = 0;
  bool failing = false;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    Status polled = PollOnce(&version);
    if (polled.ok()) {
      if (failing)
        log::Info("routing table from the scheduler again",
                  {{"version", static_cast<long long>(version)}});
      failing = false;
      continue;
    }
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    metrics_->route_poll_failures->Add({}, 1);
    // Logged when the trouble starts, not at every retry.
    if (!failing)
      log::Warn("cannot get the routing table; serving on the last one",
                {{"scheduler", scheduler_.host + ":" + std::to_string(scheduler_.port)},
                 {"error", polled.message()}});
    failing = true;
    if (!Sleep(kRetryPause)) break;
  }
  std::lock_guard lock(mu_);
  finished_ = true;
  cv_.notify_all();
}

Status RouteFollower::PollOnce(int64_t* version) {
  const std::string path = "/internal/v1/routes?version=" + std::to_string(*version) +
                           "&wait_ms=" + std::to_string(kWaitMs);
  auto r = client_.Send("GET", path, "", {{"Authorization", "Bearer " + token_}});
  if (!r.ok()) return r.status();
  if (r->status != 200)
    return Status::Unavailable("the scheduler answered " + std::to_string(r->status) + ": " +
                               r->body.substr(0, 200));
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  if (j.is_discarded()) return Status::Unavailable("the routing table is not JSON");
  HAI_ASSIGN_OR_RETURN(cluster::RoutingTable table, cluster::RoutingTableFromJson(j));
  if (table.version == *version && routes_->loaded()) return Status::Ok();
  routes_->Update(table);
  *version = table.version;
  metrics_->route_updates->Add({}, 1);
  metrics_->routes_version->Set({}, static_cast<double>(table.version));
  log::Debug("routing table", {{"version", static_cast<long long>(table.version)},
                               {"services", table.services.size()}});
  return Status::Ok();
}

bool RouteFollower::Sleep(std::chrono::milliseconds how_long) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, how_long, [this] { return stopping_; });
}

}  // namespace hai::gateway
