#include "daemons/gateway/inference_proxy.h"

#include <nlohmann/json.hpp>

#include "daemons/gateway/key_policy.h"
#include "daemons/gateway/upstream_stream.h"
#include "lib/log/log.h"

namespace hai::gateway {
namespace {

// The request as the replica gets it: the caller's body and content type,
// and our request id so the two logs can be matched.
std::vector<std::pair<std::string, std::string>> UpstreamHeaders(const http::Request& req) {
  return {{"X-Request-Id", req.request_id}};
}

std::string ContentType(const http::Request& req) {
  std::string type = req.Header("content-type");
  return type.empty() ? "application/json" : type;
}

std::string ContentType(const http::ClientResponse& answer) {
  std::string type = answer.Header("Content-Type");
  return type.empty() ? "application/json" : type;
}

// Which deployment and replica answered, for canary checks and support
// (ids only; addresses stay inside the cluster).
void Tag(http::Response& res, const Pick& pick) {
  res.AddHeader("X-Hai-Deployment", std::to_string(pick.deployment_id));
  res.AddHeader("X-Hai-Replica", std::to_string(pick.replica->id()));
}

struct Body {
  std::string model;
  bool stream = false;
};

std::optional<ApiError> ReadBody(const std::string& text, Body* out) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded())
    return ApiError{400, "invalid_json", "the request body is not valid JSON", ""};
  if (!j.is_object())
    return ApiError{400, "invalid_type", "the request body must be a JSON object", ""};
  auto model = j.find("model");
  if (model == j.end() || model->is_null())
    return ApiError{400, "missing_required_parameter", "model is required: the service's name",
                    "model"};
  if (!model->is_string()) return ApiError{400, "invalid_type", "model must be a string", "model"};
  out->model = model->get<std::string>();
  auto stream = j.find("stream");
  out->stream = stream != j.end() && stream->is_boolean() && stream->get<bool>();
  return std::nullopt;
}

// On every answer to a caller with a request limit (OpenAI's names).
void RequestLimitHeaders(const Admission& admission, http::Response& res) {
  if (!admission.request_limit) return;
  res.AddHeader("X-RateLimit-Limit-Requests", std::to_string(*admission.request_limit));
  res.AddHeader("X-RateLimit-Remaining-Requests", std::to_string(admission.remaining_requests));
}

}  // namespace

http::Response InferenceProxy::Forward(http::Request& req) {
  auto call = std::make_shared<CallRecorder>(RecorderDeps{d_.call_log, d_.limiter, d_.clock, d_.tokens}, req);
  Caller caller = d_.callers->Identify(req);
  call->Identify(caller);
  if (caller.error && !caller.key) return Answer("", call, ErrorResponse(*caller.error));
  // Read even for a known caller that is refused (a key without the
  // inference scope), so that its record names the model it asked for.
  Body body;
  std::optional<ApiError> bad_body = ReadBody(req.body, &body);
  call->Stream(body.stream);
  call->Model(body.model, nullptr);
  if (caller.error) return Answer("", call, ErrorResponse(*caller.error));
  if (bad_body) return Answer("", call, ErrorResponse(*bad_body));
  // Held for the whole request: the service and its replicas stay valid
  // while a newer table replaces this one.
  std::shared_ptr<const RouteSnapshot> routes = d_.routes->Snapshot();
  const RoutedService* service = routes->Find(body.model);
  call->Model(body.model, service && MayUse(*caller.key, *service) ? service : nullptr);
  if (auto error = CheckService(*caller.key, body.model, service))
    return Answer("", call, ErrorResponse(*error));
  Admission admission;
  if (auto refused = Limit(caller, *service, call, &admission))
    return Answer(service->name, call, std::move(*refused));
  http::Response res = Dispatch(req, *service, body.stream, call);
  call->KeepRequestBody(std::move(req.body));
  RequestLimitHeaders(admission, res);
  return Answer(service->name, call, std::move(res));
}

std::optional<http::Response> InferenceProxy::Limit(const Caller& caller,
                                                    const RoutedService& service, Call& call,
                                                    Admission* admission) {
  // The playground is the portal's own page: no key, and the
  // organisation's limits are for its programs.
  if (caller.playground()) return std::nullopt;
  const KeyInfo& key = *caller.key;
  const LimitSubject subject{key.key_id, key.key_limits, key.org_id, key.org_limits};
  *admission = d_.limiter->Admit(subject);
  if (admission->admitted) {
    call->ChargeTo(subject);
    return std::nullopt;
  }
  d_.metrics->rate_limited->Add({{"scope", admission->scope}, {"kind", admission->kind}}, 1);
  const std::string wait = std::to_string(admission->retry_after_s);
  http::Response res =
      ErrorResponse({429, "rate_limit_exceeded",
                     "Rate limit reached for '" + service.name + "': " + admission->refused_by +
                         "; try again in " + wait + " s",
                     ""});
  res.AddHeader("Retry-After", wait);
  RequestLimitHeaders(*admission, res);
  return res;
}

http::Response InferenceProxy::Dispatch(http::Request& req, const RoutedService& service,
                                        bool stream, const Call& call) {
  Attempts attempts;
  for (int attempt = 0; attempt <= d_.options.retries; ++attempt) {
    // Nobody to answer: no further replica is bothered.
    if (attempt > 0 && req.client_gone && req.client_gone())
      return ErrorResponse({499, "client_closed_request", "the caller went away", ""});
    std::optional<Pick> pick = d_.picker->Choose(service, attempts.tried, req.body);
    if (!pick) break;
    attempts.tried.insert(pick->replica->id());
    call->Tried(pick->deployment_id, pick->replica->id());
    if (attempt > 0) d_.metrics->retries->Add({{"service", service.name}}, 1);
    std::optional<http::Response> answer = stream ? TryStream(req, service, *pick, attempts, call)
                                                  : TryOnce(req, service, *pick, attempts);
    if (answer) return std::move(*answer);
  }
  if (attempts.last_answer) return std::move(*attempts.last_answer);
  if (attempts.tried.empty())
    return ErrorResponse({503, "no_ready_replica",
                          "the model '" + service.name + "' has no Ready replica right now", ""});
  log::Warn(
      "no replica answered",
      {{"request_id", req.request_id}, {"service", service.name}, {"error", attempts.last_error}});
  // The detail (addresses inside the cluster) stays in the log.
  return ErrorResponse({503, "replicas_unavailable",
                        "no replica of the model '" + service.name +
                            "' could be reached; request id " + req.request_id,
                        ""});
}

std::optional<http::Response> InferenceProxy::TryOnce(http::Request& req,
                                                      const RoutedService& service,
                                                      const Pick& pick, Attempts& attempts) {
  ReplicaState& replica = *pick.replica;
  InFlight in_flight(&replica);
  ClientPool::Lease client = d_.upstreams->Acquire(replica.host(), replica.port());
  auto r = client->Send("POST", req.path, req.body, UpstreamHeaders(req), ContentType(req));
  if (!r.ok()) {
    client.Discard();
    attempts.last_error = r.status().message();
    Failed(req, service, replica, "connect");
    return std::nullopt;
  }
  http::Response res = http::Response::Text(r->status, std::move(r->body), ContentType(*r));
  Tag(res, pick);
  if (r->status >= 500) {
    attempts.last_error =
        "replica " + std::to_string(replica.id()) + " answered " + std::to_string(r->status);
    attempts.last_answer = std::move(res);
    Failed(req, service, replica, "status");
    return std::nullopt;
  }
  replica.Reinstate();
  return res;
}

std::optional<http::Response> InferenceProxy::TryStream(http::Request& req,
                                                        const RoutedService& service,
                                                        const Pick& pick, Attempts& attempts,
                                                        const Call& call) {
  std::shared_ptr<ReplicaState> replica = pick.replica;
  auto on_broken = [this, replica, call, name = service.name,
                    id = req.request_id](const std::string& why) {
    call->StreamBroken();
    log::Warn("stream broken",
              {{"request_id", id}, {"service", name}, {"replica", replica->id()}, {"error", why}});
    d_.metrics->upstream_failures->Add({{"service", name}, {"kind", "stream"}}, 1);
    if (replica->Eject(d_.clock->NowMs(), d_.options.eject_ms, d_.options.max_eject_ms))
      d_.metrics->ejections->Add({{"service", name}}, 1);
  };
  auto upstream = std::make_shared<UpstreamStream>(
      d_.upstreams->Acquire(replica->host(), replica->port()), replica, on_broken);
  auto head = upstream->Start({req.path, req.body, ContentType(req), UpstreamHeaders(req)},
                              req.client_gone);
  if (!head.ok()) {
    attempts.last_error = head.status().message();
    if (!req.client_gone || !req.client_gone()) Failed(req, service, *replica, "connect");
    return std::nullopt;
  }
  if (head->status != 200) {
    Result<std::string> body = upstream->ReadBody();
    if (!body.ok()) {
      attempts.last_error = body.status().message();
      Failed(req, service, *replica, "connect");
      return std::nullopt;
    }
    http::Response res = http::Response::Text(head->status, std::move(*body), ContentType(*head));
    Tag(res, pick);
    if (head->status < 500) return res;
    attempts.last_error =
        "replica " + std::to_string(replica->id()) + " answered " + std::to_string(head->status);
    attempts.last_answer = std::move(res);
    Failed(req, service, *replica, "status");
    return std::nullopt;
  }
  replica->Reinstate();
  http::Response res = http::Response::Stream(
      ContentType(*head),
      [upstream](const http::StreamWrite& write) { return upstream->Forward(write); });
  res.AddHeader("Cache-Control", "no-cache");
  Tag(res, pick);
  return res;
}

void InferenceProxy::Failed(const http::Request& req, const RoutedService& service,
                            ReplicaState& replica, const std::string& kind) {
  d_.metrics->upstream_failures->Add({{"service", service.name}, {"kind", kind}}, 1);
  if (replica.Eject(d_.clock->NowMs(), d_.options.eject_ms, d_.options.max_eject_ms)) {
    d_.metrics->ejections->Add({{"service", service.name}}, 1);
    log::Warn("replica ejected", {{"request_id", req.request_id},
                                  {"service", service.name},
                                  {"replica", replica.id()},
                                  {"address", replica.address()},
                                  {"failure", kind}});
  }
}

http::Response InferenceProxy::Answer(const std::string& service, Call call, http::Response res) {
  d_.metrics->requests->Add({{"service", service}, {"status", std::to_string(res.status)}}, 1);
  return CallRecorder::Finish(std::move(call), std::move(res));
}

http::Response InferenceProxy::Models(http::Request& req) {
  Caller caller = d_.callers->Identify(req);
  if (caller.error) return ErrorResponse(*caller.error);
  nlohmann::json data = nlohmann::json::array();
  std::shared_ptr<const RouteSnapshot> routes = d_.routes->Snapshot();
  for (const auto& [name, service] : routes->services)
    if (MayUse(*caller.key, service))
      data.push_back({{"id", name},
                      {"object", "model"},
                      {"created", 0},
                      {"owned_by", "hai"},
                      {"category", service.model_category}});
  return http::Response::Json(200, {{"object", "list"}, {"data", data}});
}

}  // namespace hai::gateway
