#include "daemons/portal/service_agent_proxy.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "daemons/portal/list_query.h"
#include "lib/http/client.h"

namespace hai::portal {
namespace {

using namespace std::chrono_literals;

constexpr int kAgentTimeoutMs = 10'000;
// A followed log may stay quiet for long; the reader's leaving is noticed
// by the relay, not by this timeout.
constexpr int kStreamTimeoutMs = 3'600'000;
// How often a quiet stream asks whether the reader is still there.
constexpr auto kReaderCheck = 250ms;
// Pieces read from the agent but not yet written to a slow reader.
constexpr size_t kMaxQueuedBytes = 1 << 20;
// The agent's own limit.
constexpr int64_t kMaxTail = 10'000;

Result<bool> QueryBool(const http::Request& req, const std::string& name) {
  auto v = req.Query(name);
  if (!v || v->empty() || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  return Status::InvalidArgument(name + " must be true or false", name);
}

std::vector<std::pair<std::string, std::string>> Auth(const SchedulerAddress& at) {
  return {{"Authorization", "Bearer " + at.token}};
}

std::string AgentPath(const ReplicaInfo& r, const std::string& what) {
  return "/internal/v1/replicas/" + r.WireId() + "/" + what;
}

Result<http::HttpUrl> AgentFor(const SchedulerAddress& at, const ReplicaInfo& r) {
  if (r.node.empty())
    return Status::FailedPrecondition("replica " + r.name + " is not placed on a node yet");
  return AgentOf(at, r.node);
}

// The agent's answer, relayed: its status and body. A refused cluster token
// is our fault, not the reader's, and must not read as "sign in again".
Result<http::Response> Relay(const http::ClientResponse& answer, const std::string& node) {
  if (answer.status == 401 || answer.status == 403)
    return Status::Internal("the agent on " + node + " refused the cluster token");
  std::string type = answer.Header("Content-Type");
  if (type.empty()) type = "application/json";
  return http::Response::Text(answer.status, answer.body, type);
}

Result<http::ClientResponse> AskAgent(const SchedulerAddress& at, const http::HttpUrl& agent,
                                      const std::string& node, const std::string& path) {
  http::Client client(agent.host, agent.port, kAgentTimeoutMs);
  auto r = client.Send("GET", path, "", Auth(at));
  if (!r.ok())
    return Status::Unavailable("the agent on " + node + " is unreachable: " + r.status().message());
  return std::move(*r);
}

// Relays a chunked answer from the agent to the reader. The agent's side runs
// on a helper thread so that this one can ask, even while the log is quiet,
// whether the reader is still there, and cut the agent's connection once it
// is not. Used by one stream producer call, on the server's thread.
class StreamRelay {
 public:
  StreamRelay(http::HttpUrl agent, std::string path, std::string token)
      : agent_(std::move(agent)), path_(std::move(path)), token_(std::move(token)) {}

  bool Run(const http::StreamWrite& write) {
    http::Client client(agent_.host, agent_.port, kStreamTimeoutMs);
    std::thread pump([&] { Pump(client); });
    const bool reader_stayed = Forward(write);
    if (!reader_stayed) StopPump(client);
    pump.join();
    return reader_stayed;
  }

 private:
  void Pump(http::Client& client) {
    auto on_data = [this](std::string_view data) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || queued_bytes_ < kMaxQueuedBytes; });
      if (stop_) return false;
      pieces_.emplace_back(data);
      queued_bytes_ += data.size();
      cv_.notify_all();
      return true;
    };
    (void)client.SendStreaming("GET", path_, "", {{"Authorization", "Bearer " + token_}}, on_data);
    std::lock_guard<std::mutex> lock(mu_);
    upstream_done_ = true;
    cv_.notify_all();
  }

  // Writes what the agent sends until it ends (true) or the reader goes (false).
  bool Forward(const http::StreamWrite& write) {
    for (;;) {
      std::deque<std::string> batch;
      bool done = false;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_for(lock, kReaderCheck, [this] { return !pieces_.empty() || upstream_done_; });
        batch.swap(pieces_);
        queued_bytes_ = 0;
        done = upstream_done_;
      }
      cv_.notify_all();
      for (const std::string& piece : batch)
        if (!write(piece)) return false;
      if (batch.empty() && !write("")) return false;
      if (done) return true;
    }
  }

  // The connection may not be open yet when the reader goes: keep cutting it
  // until the pump has given up.
  void StopPump(http::Client& client) {
    std::unique_lock<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
    while (!upstream_done_) {
      lock.unlock();
      client.Cancel();
      lock.lock();
      cv_.wait_for(lock, 50ms, [this] { return upstream_done_; });
    }
  }

  http::HttpUrl agent_;
  std::string path_;
  std::string token_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> pieces_;  // GUARDED_BY(mu_)
  size_t queued_bytes_ = 0;         // GUARDED_BY(mu_)
  bool upstream_done_ = false;      // GUARDED_BY(mu_)
  bool stop_ = false;               // GUARDED_BY(mu_)
};

}  // namespace

Result<LogQuery> ParseLogQuery(const http::Request& req) {
  LogQuery q;
  HAI_ASSIGN_OR_RETURN(q.tail, QueryInt(req, "tail"));
  if (q.tail && (*q.tail < 0 || *q.tail > kMaxTail))
    return Status::InvalidArgument("tail must be from 0 to " + std::to_string(kMaxTail) + " lines",
                                   "tail");
  HAI_ASSIGN_OR_RETURN(q.follow, QueryBool(req, "follow"));
  HAI_ASSIGN_OR_RETURN(q.download, QueryBool(req, "download"));
  if (q.follow && q.download)
    return Status::InvalidArgument("follow and download do not go together", "follow");
  return q;
}

Result<http::Response> ReplicaLogs(const SchedulerAddress& at, const ReplicaInfo& replica,
                                   const LogQuery& query) {
  HAI_ASSIGN_OR_RETURN(http::HttpUrl agent, AgentFor(at, replica));
  std::string params;
  auto add = [&params](const std::string& kv) { params += (params.empty() ? "?" : "&") + kv; };
  if (query.tail) add("tail=" + std::to_string(*query.tail));
  const std::string path = AgentPath(replica, "logs");
  if (!query.follow && !query.download) {
    HAI_ASSIGN_OR_RETURN(http::ClientResponse answer,
                         AskAgent(at, agent, replica.node, path + params));
    return Relay(answer, replica.node);
  }
  // A followed log or a whole file is streamed, and once streaming starts
  // the status is sent: ask first, so that a replica the agent does not know
  // is an error rather than an empty stream.
  HAI_ASSIGN_OR_RETURN(http::ClientResponse probe,
                       AskAgent(at, agent, replica.node, path + "?tail=1"));
  if (probe.status != 200) return Relay(probe, replica.node);
  add(query.follow ? "follow=true" : "download=true");
  auto relay = std::make_shared<StreamRelay>(agent, path + params, at.token);
  http::Response res =
      http::Response::Stream("text/plain; charset=utf-8",
                             [relay](const http::StreamWrite& write) { return relay->Run(write); });
  res.AddHeader("Cache-Control", "no-store");
  if (query.download)
    res.AddHeader("Content-Disposition", "attachment; filename=\"" + replica.name + ".log\"");
  return res;
}

Result<http::Response> ReplicaProcesses(const SchedulerAddress& at, const ReplicaInfo& replica) {
  HAI_ASSIGN_OR_RETURN(http::HttpUrl agent, AgentFor(at, replica));
  HAI_ASSIGN_OR_RETURN(http::ClientResponse answer,
                       AskAgent(at, agent, replica.node, AgentPath(replica, "processes")));
  return Relay(answer, replica.node);
}

}  // namespace hai::portal
