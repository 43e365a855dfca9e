#include "daemons/agent/scheduler_link.h"

#include <nlohmann/json.hpp>

#include "lib/http/url.h"
#include "lib/log/log.h"

namespace hai::agent {
namespace {

constexpr const char* kAgentVersion = "0.1.0";

}  // namespace

SchedulerLink::SchedulerLink(const AgentConfig& config, std::string token, InventorySource* source,
                             DeviceMetrics* metrics, const Clock* clock)
    : config_(config), token_(std::move(token)), source_(source), metrics_(metrics), clock_(clock) {
  auto url = http::ParseHttpUrl(config.scheduler_url, "agent.scheduler_url");
  client_ = std::make_unique<http::Client>(url.ok() ? url->host : "127.0.0.1",
                                           url.ok() ? url->port : 7001, 3000);
  agent_url_ = "http://" + config.listen + ":" + std::to_string(config.port);
}

SchedulerLink::~SchedulerLink() { Stop(); }

bool SchedulerLink::registered() const {
  std::lock_guard lock(mu_);
  return registered_;
}

accel::NodeInventory SchedulerLink::current() const {
  std::lock_guard lock(mu_);
  return inventory_;
}

Status SchedulerLink::Register() {
  HAI_ASSIGN_OR_RETURN(accel::NodeInventory inv, source_->Inventory());
  inv.node = config_.node_name;
  cluster::Registration reg{config_.node_name, agent_url_, config_.labels, inv, kAgentVersion};
  auto r = client_->Send("POST", "/internal/v1/nodes/register", cluster::ToJson(reg).dump(),
                         {{"Authorization", "Bearer " + token_}});
  if (!r.ok()) return r.status();
  if (r->status != 200)
    return Status::Unavailable("scheduler refused registration: HTTP " + std::to_string(r->status) +
                               " " + r->body);
  {
    std::lock_guard lock(mu_);
    registered_ = true;
    seq_ = 0;
    inventory_ = inv;
  }
  metrics_->Update(config_.node_name, inv.devices);
  log::Info("registered with the scheduler",
            {{"node", config_.node_name}, {"devices", static_cast<long>(inv.devices.size())}});
  return Status::Ok();
}

Status SchedulerLink::SendHeartbeat() {
  HAI_ASSIGN_OR_RETURN(std::vector<cluster::Telemetry> sample, source_->Sample(clock_->NowMs()));
  cluster::Heartbeat hb;
  accel::NodeInventory inv;
  {
    std::lock_guard lock(mu_);
    hb = {config_.node_name, ++seq_, sample};
    for (const cluster::Telemetry& t : sample) {
      for (accel::Device& d : inventory_.devices) {
        if (d.index != t.index) continue;
        d.memory_used_mib = t.memory_used_mib;
        d.utilization = t.utilization;
        d.temperature_c = t.temperature_c;
        d.power_w = t.power_w;
        d.health = t.health;
        d.ecc_errors = t.ecc_errors;
      }
    }
    inv = inventory_;
  }
  metrics_->Update(config_.node_name, inv.devices);
  auto r = client_->Send("POST", "/internal/v1/nodes/" + config_.node_name + "/heartbeat",
                         cluster::ToJson(hb).dump(), {{"Authorization", "Bearer " + token_}});
  if (!r.ok()) return r.status();
  if (r->status == 404) {  // the scheduler restarted or dropped us: register again
    std::lock_guard lock(mu_);
    registered_ = false;
    return Status::NotFound("scheduler does not know this node; registering again");
  }
  if (r->status != 200)
    return Status::Unavailable("heartbeat refused: HTTP " + std::to_string(r->status) + " " + r->body);
  return Status::Ok();
}

Status SchedulerLink::Step() {
  if (!registered()) return Register();
  return SendHeartbeat();
}

void SchedulerLink::Start() {
  thread_ = std::thread([this] {
    Status last;
    for (;;) {
      Status st = Step();
      if (!st.ok() && st.message() != last.message())
        log::Warn("scheduler link", {{"node", config_.node_name}, {"error", st.message()}});
      if (st.ok() && !last.ok()) log::Info("scheduler link restored", {{"node", config_.node_name}});
      last = st;
      std::unique_lock lock(mu_);
      // A failed registration retries sooner than the heartbeat period.
      auto wait = std::chrono::milliseconds(registered_ ? config_.heartbeat_interval_ms
                                                        : std::min<int64_t>(1000, config_.heartbeat_interval_ms));
      if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
    }
  });
}

void SchedulerLink::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace hai::agent
