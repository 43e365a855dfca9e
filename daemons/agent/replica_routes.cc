#include "daemons/agent/replica_routes.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "daemons/agent/engine_log.h"
#include "lib/engine_profile/launch.h"
#include "lib/http/bearer.h"
#include "lib/log/log.h"
#include "lib/metrics/registry.h"
#include "lib/proc/proc_table.h"

namespace hai::agent {
namespace {

using http::Request;
using http::Response;

constexpr int kDefaultTail = 200;
constexpr int kMaxTail = 10000;
// Each follower holds one server thread for as long as it reads.
constexpr int kMaxFollowers = 8;
constexpr std::chrono::milliseconds kFollowPoll{250};
constexpr const char* kText = "text/plain; charset=utf-8";

http::Handler Guard(std::string token, std::function<Result<Response>(Request&)> fn) {
  return [token = std::move(token), fn = std::move(fn)](Request& req) {
    if (!http::BearerMatches(req, token))
      return Response::Error(Status::Unauthenticated("this route needs the cluster token"));
    Result<Response> r = fn(req);
    if (r.ok()) return std::move(*r);
    if (r.status().code() == Code::kInvalidArgument)
      log::Warn(
          "rejected replica request",
          {{"request_id", req.request_id}, {"route", req.route}, {"error", r.status().message()}});
    return Response::Error(r.status());
  };
}

nlohmann::json ItemJson(const ReplicaRunner::View& v) {
  nlohmann::json j = cluster::ToJson(v.status);
  const cluster::ReplicaAssignment& a = v.assignment;
  j["deployment_id"] = a.deployment_id;
  j["service"] = a.service;
  j["engine"] = a.engine;
  j["model_path"] = a.model_path;
  j["vendor"] = accel::VendorName(a.vendor);
  j["device_ids"] = a.device_ids;
  j["simulated"] = a.simulated;
  j["stopping"] = v.removing;
  return j;
}

Result<ReplicaRunner::View> Lookup(ReplicaRunner* runner, const Request& req) {
  auto v = runner->Find(req.Param("id"));
  if (!v) return Status::NotFound("no replica " + req.Param("id") + " on this node");
  return *v;
}

Result<bool> BoolQuery(const Request& req, const std::string& name) {
  auto v = req.Query(name);
  if (!v || v->empty() || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  return Status::InvalidArgument(name + " must be true or false", name);
}

Result<int> TailQuery(const Request& req) {
  auto v = req.Query("tail");
  if (!v) return kDefaultTail;
  int n = -1;
  bool digits =
      !v->empty() && v->size() <= 6 && v->find_first_not_of("0123456789") == std::string::npos;
  if (digits) n = std::stoi(*v);
  if (n < 0 || n > kMaxTail)
    return Status::InvalidArgument(
        "tail must be a whole number from 0 to " + std::to_string(kMaxTail), "tail");
  return n;
}

// Releases a follower slot when the stream ends, however it ends.
struct FollowerSlot {
  explicit FollowerSlot(std::shared_ptr<std::atomic<int>> count) : count_(std::move(count)) {}
  ~FollowerSlot() { --*count_; }
  std::shared_ptr<std::atomic<int>> count_;
};

Response FollowLog(ReplicaRunner* runner, const std::string& id, const ReplicaRunner::View& v,
                   int tail, std::shared_ptr<FollowerSlot> slot) {
  // The follower starts first and the tail stops where it starts: no line is
  // lost or sent twice between the two.
  auto follower = std::make_shared<LogFollower>(v.log_path);
  std::string head = TailLog(v.log_path, v.log_keep, tail, follower->offset());
  return Response::Stream(kText,
                          [runner, id, follower, head, slot](const http::StreamWrite& write) {
                            if (!head.empty() && !write(head)) return false;
                            for (;;) {
                              std::string data = follower->Next();
                              if (!data.empty() ? !write(data) : !write(""))
                                return false;  // the client went away
                              if (runner->stopping() || !runner->Find(id))
                                return true;  // deleted: the log ends
                              if (data.empty()) std::this_thread::sleep_for(kFollowPoll);
                            }
                          });
}

Response DownloadLog(const std::string& id, const ReplicaRunner::View& v) {
  int fd = open(v.log_path.c_str(), O_RDONLY | O_CLOEXEC);
  // The file as it is now: what the engine writes meanwhile is not included.
  off_t size = fd >= 0 ? lseek(fd, 0, SEEK_END) : 0;
  auto file = std::shared_ptr<int>(new int(fd), [](int* p) {
    if (*p >= 0) close(*p);
    delete p;
  });
  Response r = Response::Stream(kText, [file, size](const http::StreamWrite& write) {
    std::string buf(64 * 1024, '\0');
    for (off_t at = 0; *file >= 0 && at < size;) {
      ssize_t n =
          pread(*file, buf.data(), std::min<off_t>(static_cast<off_t>(buf.size()), size - at), at);
      if (n <= 0) break;
      if (!write(std::string_view(buf.data(), static_cast<size_t>(n)))) return false;
      at += n;
    }
    return true;
  });
  r.AddHeader("Content-Disposition", "attachment; filename=\"" + id + "-engine.log\"");
  return r;
}

nlohmann::json ProcessesJson(pid_t group) {
  nlohmann::json items = nlohmann::json::array();
  if (group <= 0) return items;
  proc::ProcTable table;
  for (const proc::ProcessInfo& p : table.InGroup(group)) {
    std::string command =
        p.cmdline.empty() ? "[" + p.comm + "]" : engine_profile::DisplayCommand(p.cmdline);
    auto age = table.AgeSeconds(p);
    items.push_back({{"pid", p.pid},
                     {"ppid", p.ppid},
                     {"command", command},
                     {"state", proc::StateName(p.state)},
                     {"uptime_s", age.ok() ? static_cast<int64_t>(std::floor(*age)) : 0},
                     {"rss_bytes", p.rss_bytes}});
  }
  return items;
}

}  // namespace

void AddReplicaRoutes(http::Router* router, ReplicaRunner* runner, const std::string& token,
                      const std::string& node) {
  router->Add(
      "PUT", "/internal/v1/replicas/{id}", Guard(token, [runner](Request& req) -> Result<Response> {
        auto j = nlohmann::json::parse(req.body, nullptr, false);
        if (j.is_discarded()) return Status::InvalidArgument("request body is not valid JSON");
        HAI_ASSIGN_OR_RETURN(cluster::ReplicaAssignment a, cluster::ReplicaAssignmentFromJson(j));
        if (a.replica_id != req.Param("id"))
          return Status::InvalidArgument(
              "replica_id " + a.replica_id + " does not match the path's " + req.Param("id"),
              "replica_id");
        HAI_RETURN_IF_ERROR(runner->Apply(a).status());
        HAI_ASSIGN_OR_RETURN(ReplicaRunner::View v, Lookup(runner, req));
        return Response::Json(200, ItemJson(v));
      }));
  router->Add(
      "DELETE", "/internal/v1/replicas/{id}",
      Guard(token, [runner](Request& req) -> Result<Response> {
        HAI_RETURN_IF_ERROR(runner->Remove(req.Param("id")).status());
        auto v = runner->Find(req.Param("id"));
        if (!v) return Response::Json(200, {{"replica_id", req.Param("id")}, {"phase", "Stopped"}});
        return Response::Json(200, ItemJson(*v));
      }));
  router->Add(
      "GET", "/internal/v1/replicas", Guard(token, [runner, node](Request&) -> Result<Response> {
        nlohmann::json items = nlohmann::json::array();
        for (const ReplicaRunner::View& v : runner->List()) items.push_back(ItemJson(v));
        size_t total = items.size();
        return Response::Json(200, {{"node", node}, {"items", std::move(items)}, {"total", total}});
      }));
  router->Add("GET", "/internal/v1/replicas/{id}",
              Guard(token, [runner](Request& req) -> Result<Response> {
                HAI_ASSIGN_OR_RETURN(ReplicaRunner::View v, Lookup(runner, req));
                return Response::Json(200, ItemJson(v));
              }));
  auto followers = std::make_shared<std::atomic<int>>(0);
  router->Add("GET", "/internal/v1/replicas/{id}/logs",
              Guard(token, [runner, followers](Request& req) -> Result<Response> {
                HAI_ASSIGN_OR_RETURN(int tail, TailQuery(req));
                HAI_ASSIGN_OR_RETURN(bool follow, BoolQuery(req, "follow"));
                HAI_ASSIGN_OR_RETURN(bool download, BoolQuery(req, "download"));
                if (follow && download)
                  return Status::InvalidArgument("follow and download cannot be combined",
                                                 "follow");
                HAI_ASSIGN_OR_RETURN(ReplicaRunner::View v, Lookup(runner, req));
                if (download) return DownloadLog(req.Param("id"), v);
                if (!follow)
                  return Response::Text(200, TailLog(v.log_path, v.log_keep, tail), kText);
                if (++*followers > kMaxFollowers) {
                  --*followers;
                  return Status(Code::kResourceExhausted,
                                "too many logs are being followed on this node; try again later");
                }
                auto slot = std::make_shared<FollowerSlot>(followers);
                return FollowLog(runner, req.Param("id"), v, tail, std::move(slot));
              }));
  router->Add("GET", "/internal/v1/replicas/{id}/processes",
              Guard(token, [runner](Request& req) -> Result<Response> {
                HAI_ASSIGN_OR_RETURN(ReplicaRunner::View v, Lookup(runner, req));
                nlohmann::json items = ProcessesJson(v.process_group);
                size_t total = items.size();
                return Response::Json(200, {{"items", std::move(items)}, {"total", total}});
              }));
}

std::string RenderReplicaMetrics(const std::string& node,
                                 const std::vector<ReplicaRunner::View>& replicas) {
  static const cluster::ReplicaPhase kPhases[] = {
      cluster::ReplicaPhase::kPending, cluster::ReplicaPhase::kStarting,
      cluster::ReplicaPhase::kReady, cluster::ReplicaPhase::kFailed,
      cluster::ReplicaPhase::kStopped};
  std::string out =
      "# HELP hai_agent_replica_phase Engine replicas on this node: 1 for the replica's current "
      "phase.\n"
      "# TYPE hai_agent_replica_phase gauge\n";
  auto labels = [&](const ReplicaRunner::View& v) {
    return "node=\"" + metrics::EscapeLabelValue(node) + "\",replica=\"" +
           metrics::EscapeLabelValue(v.status.replica_id) + "\",deployment=\"" +
           metrics::EscapeLabelValue(v.assignment.deployment_id) + "\"";
  };
  for (const ReplicaRunner::View& v : replicas)
    for (cluster::ReplicaPhase p : kPhases)
      out += "hai_agent_replica_phase{" + labels(v) + ",phase=\"" +
             std::string(cluster::ReplicaPhaseName(p)) + "\"} " +
             (v.status.phase == p ? "1" : "0") + "\n";
  out +=
      "# HELP hai_agent_replica_restarts Process restarts of the replica's current generation.\n"
      "# TYPE hai_agent_replica_restarts gauge\n";
  for (const ReplicaRunner::View& v : replicas)
    out +=
        "hai_agent_replica_restarts{" + labels(v) + "} " + std::to_string(v.status.restarts) + "\n";
  return out;
}

}  // namespace hai::agent
