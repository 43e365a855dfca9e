#include "daemons/scheduler/agent_link.h"

#include <nlohmann/json.hpp>

#include "lib/http/client.h"
#include "lib/http/url.h"
#include "lib/log/log.h"

namespace hai::scheduler {
namespace {

// A queue this long means agents are unreachable; the oldest calls go first
// (the controller repeats what still matters).
constexpr size_t kMaxQueued = 1000;
constexpr int kTimeoutMs = 5000;

}  // namespace

HttpAgentLink::HttpAgentLink(std::string cluster_token)
    : token_(std::move(cluster_token)), thread_([this] { Run(); }) {}

HttpAgentLink::~HttpAgentLink() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void HttpAgentLink::Assign(const std::string& agent_url, const cluster::ReplicaAssignment& a) {
  Enqueue({agent_url, "PUT", "/internal/v1/replicas/" + a.replica_id, cluster::ToJson(a).dump()});
}

void HttpAgentLink::Remove(const std::string& agent_url, const std::string& replica_id) {
  Enqueue({agent_url, "DELETE", "/internal/v1/replicas/" + replica_id, ""});
}

void HttpAgentLink::Enqueue(Call call) {
  {
    std::lock_guard lock(mu_);
    if (calls_.size() >= kMaxQueued) calls_.pop_front();
    calls_.push_back(std::move(call));
  }
  wake_.notify_one();
}

void HttpAgentLink::Run() {
  for (;;) {
    Call call;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !calls_.empty(); });
      if (stopping_) return;
      call = std::move(calls_.front());
      calls_.pop_front();
    }
    auto url = http::ParseHttpUrl(call.agent_url, "agent_url");
    if (!url.ok()) {
      log::Warn("agent address is unusable", {{"url", call.agent_url}});
      continue;
    }
    http::Client client(url->host, url->port, kTimeoutMs);
    auto r = client.Send(call.method, call.path, call.body, {{"Authorization", "Bearer " + token_}});
    if (!r.ok()) {
      log::Warn("agent did not answer",
                {{"url", call.agent_url}, {"call", call.method + " " + call.path},
                 {"error", r.status().message()}});
    } else if (r->status >= 300 && !(call.method == "DELETE" && r->status == 404)) {
      log::Warn("agent refused",
                {{"url", call.agent_url}, {"call", call.method + " " + call.path},
                 {"status", r->status}, {"body", r->body.substr(0, 300)}});
    }
  }
}

}  // namespace hai::scheduler
