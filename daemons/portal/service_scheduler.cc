#include "daemons/portal/service_scheduler.h"

#include <nlohmann/json.hpp>

#include "lib/http/client.h"
#include "lib/log/log.h"

namespace hai::portal {
namespace {

using nlohmann::json;

constexpr int kTimeoutMs = 5000;
constexpr int kKickTimeoutMs = 2000;

std::vector<std::pair<std::string, std::string>> Auth(const SchedulerAddress& at) {
  return {{"Authorization", "Bearer " + at.token}};
}

Result<json> Ask(const SchedulerAddress& at, const std::string& method, const std::string& path,
                 const std::string& body = {}) {
  http::Client client(at.host, at.port, kTimeoutMs);
  auto r = client.Send(method, path, body, Auth(at));
  if (!r.ok()) return Status::Unavailable("the scheduler is unreachable: " + r.status().message());
  json j = json::parse(r->body, nullptr, false);
  if (r->status == 400 && j.is_object() && j.contains("error")) {
    const json& e = j["error"];
    return Status::InvalidArgument(
        "the scheduler refused the request: " + e.value("message", std::string("bad request")),
        e.value("field", std::string()));
  }
  if (r->status == 401 || r->status == 403)
    return Status::Internal("the scheduler refused the cluster token");
  if (r->status != 200 || j.is_discarded())
    return Status::Unavailable("the scheduler answered " + std::to_string(r->status) + " to " +
                               method + " " + path);
  return j;
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<FitCheck> CheckFit(const SchedulerAddress& at, const DeploymentRequest& r,
                          int64_t replicas) {
  json body = {{"cluster", r.cluster},
               {"vendor", r.vendor},
               {"devices_per_replica", r.devices_per_replica},
               {"memory_mib", r.memory_mib},
               {"replicas", replicas}};
  if (!r.device_model.empty()) body["model"] = r.device_model;
  HAI_ASSIGN_OR_RETURN(json answer,
                       Ask(at, "POST", "/internal/v1/placements/dry-run", body.dump()));
  FitCheck out;
  out.fits = answer.value("feasible", false);
  if (auto it = answer.find("reasons"); it != answer.end() && it->is_array())
    for (const json& reason : *it)
      if (reason.is_object())
        out.reasons.push_back(
            {Text(reason, "node"), Text(reason, "code"), Text(reason, "message")});
  return out;
}

Result<http::HttpUrl> AgentOf(const SchedulerAddress& at, const std::string& node) {
  HAI_ASSIGN_OR_RETURN(json nodes, Ask(at, "GET", "/internal/v1/nodes"));
  if (auto it = nodes.find("items"); it != nodes.end() && it->is_array())
    for (const json& n : *it)
      if (n.is_object() && Text(n, "name") == node) {
        auto url = http::ParseHttpUrl(Text(n, "agent_url"), "agent_url");
        if (!url.ok())
          return Status::Unavailable("node " + node +
                                     " has no usable agent address: " + url.status().message());
        return url;
      }
  return Status::NotFound("node " + node + " is not known to the scheduler (its agent is gone)");
}

ReconcileTrigger::ReconcileTrigger(SchedulerAddress at) : at_(std::move(at)) {
  thread_ = std::thread([this] { Loop(); });
}

ReconcileTrigger::~ReconcileTrigger() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ReconcileTrigger::Kick() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = true;
  }
  cv_.notify_all();
}

void ReconcileTrigger::Loop() {
  http::Client client(at_.host, at_.port, kKickTimeoutMs);
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return pending_ || stopping_; });
    if (stopping_) return;
    pending_ = false;
    lock.unlock();
    auto r = client.Send("POST", "/internal/v1/deployments/reconcile", "", Auth(at_));
    if (!r.ok() || r->status != 200)
      log::Debug(
          "reconcile kick not taken; the controller's own pass will follow",
          {{"error", r.ok() ? "status " + std::to_string(r->status) : r.status().message()}});
    lock.lock();
  }
}

}  // namespace hai::portal
