// "Try online" on a model card: the portal relays one OpenAI-style request
// from a signed-in person to a Ready replica of a service they may see. The
// OpenAI-compatible gateway (with API keys, routing weights and call logs) is
// the way for programs; this relay serves the portal's own pages, which hold
// a session and no API key.
#include <nlohmann/json.hpp>
#include <random>

#include "daemons/portal/list_query.h"
#include "daemons/portal/routes.h"
#include "daemons/portal/service_access.h"
#include "daemons/portal/service_replica_store.h"
#include "lib/http/client.h"
#include "lib/http/url.h"

namespace hai::portal {
namespace {

using store::Database;

// Generation on a CPU replica may take a while; the page shows it waiting.
constexpr int kReplicaTimeoutMs = 120'000;

// Ready replicas of a service, not being stopped.
std::vector<ReplicaInfo> ReadyOnes(const std::vector<ReplicaInfo>& all) {
  std::vector<ReplicaInfo> ready;
  for (const ReplicaInfo& r : all)
    if (r.status == "Ready" && !r.stopping && !r.address.empty()) ready.push_back(r);
  return ready;
}

// The request as the engine needs it: a JSON object, the model named as the
// replica serves it (the service's name), no streaming (the page waits for
// the whole answer; streaming belongs to the gateway).
Result<std::string> EngineBody(const std::string& body, const std::string& served_name) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return Status::InvalidArgument("the body must be a JSON object");
  if (json.contains("stream") && json["stream"] != false)
    return Status::InvalidArgument(
        "stream is not offered here; call the OpenAI-compatible gateway to stream", "stream");
  json["model"] = served_name;
  return json.dump();
}

Result<http::Response> Try(Services* s, Call& call, const std::string& what) {
  HAI_ASSIGN_OR_RETURN(int64_t id, PathId(call.req, "id"));
  ModelService service;
  std::vector<ReplicaInfo> replicas;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(service, VisibleService(tx, *call.who, id));
    HAI_ASSIGN_OR_RETURN(replicas, replicas::OfService(tx, id, std::nullopt));
    return Status::Ok();
  }));
  call.resource_id = std::to_string(id);
  call.org_id = service.org_id;
  call.summary = what;
  HAI_ASSIGN_OR_RETURN(std::string body, EngineBody(call.req.body, service.name));
  std::vector<ReplicaInfo> ready = ReadyOnes(replicas);
  if (ready.empty()) {
    const std::string message = "service '" + service.name + "' has no Ready replica to answer";
    call.audit_reason = "no_ready_replica";
    return http::Response::Json(
        409, {{"error", {{"code", "no_ready_replica"}, {"message", message}}}});
  }
  static thread_local std::minstd_rand pick(std::random_device{}());
  const ReplicaInfo& replica = ready[pick() % ready.size()];
  HAI_ASSIGN_OR_RETURN(http::HttpUrl url, http::ParseHttpUrl(replica.address, "address"));
  http::Client client(url.host, url.port, kReplicaTimeoutMs);
  auto answer = client.Send("POST", "/v1/" + what, body, {{"Content-Type", "application/json"}});
  if (!answer.ok())
    return Status::Unavailable("replica " + replica.name + " did not answer: " +
                               answer.status().message());
  std::string type = answer->Header("Content-Type");
  return http::Response::Text(answer->status, answer->body,
                              type.empty() ? "application/json" : type);
}

}  // namespace

void AddTryRoutes(Api* api, Services* s) {
  api->Add({"POST", "/api/v1/services/{id}/chat/completions", Permission::kServiceRead,
            "service.try", "service",
            "Try a text-generation service from the portal: one OpenAI chat completion, "
            "answered by a Ready replica (no streaming)"},
           [s](Call& c) { return Try(s, c, "chat/completions"); });
  api->Add({"POST", "/api/v1/services/{id}/embeddings", Permission::kServiceRead, "service.try",
            "service",
            "Try an embedding service from the portal: OpenAI embeddings answered by a Ready "
            "replica"},
           [s](Call& c) { return Try(s, c, "embeddings"); });
}

}  // namespace hai::portal
