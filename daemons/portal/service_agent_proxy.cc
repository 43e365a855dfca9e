#include "daemons/portal/service_agent_proxy.h"

#include <memory>

#include "daemons/portal/list_query.h"
#include "lib/http/client.h"
#include "lib/http/relayed_exchange.h"

namespace hai::portal {
namespace {

constexpr int kAgentTimeoutMs = 10'000;
// A followed log may stay quiet for long; the reader's leaving is noticed
// by the relay, not by this timeout.
constexpr int kStreamTimeoutMs = 3'600'000;
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

// A followed log or downloaded file, passed on from the agent as it comes;
// the agent's connection is cut once the reader goes.
struct AgentStream {
  AgentStream(const http::HttpUrl& agent, http::RelayedExchange::Request what)
      : client(agent.host, agent.port, kStreamTimeoutMs), request(std::move(what)) {}

  bool Run(const http::StreamWrite& write) {
    auto reader_gone = [&write] { return !write(""); };
    if (!exchange.Start(request, reader_gone).ok()) return !reader_gone();
    return exchange.Forward(write) != http::RelayedExchange::End::kCallerGone;
  }

  http::Client client;
  http::RelayedExchange exchange{&client};
  http::RelayedExchange::Request request;
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
  auto relay = std::make_shared<AgentStream>(
      agent, http::RelayedExchange::Request{"GET", path + params, "", "", Auth(at)});
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
