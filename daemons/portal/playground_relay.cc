// The playground: a signed-in person calls a model from the portal's pages.
// The portal holds their session, not an API key, so it asks the gateway on
// their behalf (cluster token plus X-Hai-On-Behalf-Of, docs/gateway.md): the
// call is routed, limited and logged like any program's, and its answer
// (streams included) comes back unchanged.
#include <nlohmann/json.hpp>

#include "daemons/portal/routes.h"
#include "daemons/portal/service_store.h"
#include "lib/http/relayed_exchange.h"
#include "lib/http/url.h"

namespace hai::portal {
namespace {

using http::RelayedExchange;
using http::Response;
using store::Database;

// A long generation on a CPU replica; the page shows it waiting.
constexpr int kGatewayTimeoutMs = 600'000;
constexpr int kConnectTimeoutMs = 3'000;

Response Error(int status, const std::string& code, const std::string& message) {
  return Response::Json(status, {{"error", {{"code", code}, {"message", message}}}});
}

struct Target {
  std::string model;
  bool stream = false;
};

Result<Target> ReadTarget(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return Status::InvalidArgument("the body must be a JSON object");
  auto model = json.find("model");
  if (model == json.end() || !model->is_string() || model->get<std::string>().empty())
    return Status::InvalidArgument("model must name the service to call", "model");
  auto stream = json.find("stream");
  return Target{model->get<std::string>(),
                stream != json.end() && stream->is_boolean() && stream->get<bool>()};
}

// The exchange and the connection it runs on, kept alive by the streamed
// answer's producer.
struct Relay {
  Relay(const http::HttpUrl& url, const std::string& ca_file)
      : client(url, ca_file, kGatewayTimeoutMs) {
    client.SetConnectTimeout(kConnectTimeoutMs);
  }
  http::Client client;
  RelayedExchange exchange{&client};
};

Result<Response> CallThroughGateway(Services* s, Call& call, const std::string& what) {
  HAI_ASSIGN_OR_RETURN(Target target, ReadTarget(call.req.body));
  std::optional<ModelService> service;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(service, services::FindByName(tx, target.model));
    return Status::Ok();
  }));
  const Principal& who = *call.who;
  if (!service || service->deleting || (!who.IsAdmin() && !who.RoleIn(service->org_id)))
    return Status::NotFound("service '" + target.model + "' not found");
  call.org_id = service->org_id;
  call.resource_id = std::to_string(service->id);
  call.summary = what + (target.stream ? " stream" : "");
  if (s->gateway_url.empty())
    return Error(503, "gateway_not_configured",
                 "the playground calls models through the gateway, and portal.gateway_url is "
                 "not set");
  HAI_ASSIGN_OR_RETURN(http::HttpUrl url, http::ParseHttpUrl(s->gateway_url, "gateway_url",
                                                             http::UrlSchemes::kHttpOrHttps));

  RelayedExchange::Request request;
  request.path = "/v1/" + what;
  request.body = call.req.body;
  request.headers = {{"Authorization", "Bearer " + s->cluster_token},
                     {"X-Hai-On-Behalf-Of", "org_id=" + std::to_string(service->org_id) +
                                                ";user_id=" + std::to_string(who.user.id)},
                     {"X-Request-Id", call.req.request_id}};
  // Who called, for the call log: the browser's address and agent.
  if (!call.req.client_ip.empty()) request.headers.push_back({"X-Forwarded-For", call.req.client_ip});
  if (std::string agent = call.req.Header("user-agent"); !agent.empty())
    request.headers.push_back({"User-Agent", agent});
  auto relay = std::make_shared<Relay>(url, s->ca_file);
  auto head = relay->exchange.Start(std::move(request), call.req.client_gone);
  if (!head.ok())
    return Error(502, "gateway_unreachable",
                 "the gateway at " + s->gateway_url + " did not answer: " + head.status().message());
  std::string type = head->Header("Content-Type");
  if (type.empty()) type = "application/json";
  if (!target.stream || head->status != 200) {
    auto body = relay->exchange.ReadBody();
    if (!body.ok())
      return Error(502, "gateway_unreachable",
                   "the gateway's answer broke off: " + body.status().message());
    return Response::Text(head->status, std::move(*body), type);
  }
  Response res = Response::Stream(type, [relay](const http::StreamWrite& write) {
    return relay->exchange.Forward(write) != RelayedExchange::End::kCallerGone;
  });
  res.AddHeader("Cache-Control", "no-cache");
  for (const char* name : {"X-Hai-Deployment", "X-Hai-Replica"})
    if (std::string v = head->Header(name); !v.empty()) res.AddHeader(name, v);
  return res;
}

}  // namespace

void AddPlaygroundRoutes(Api* api, Services* s) {
  for (const char* what : {"chat/completions", "completions", "embeddings", "rerank"}) {
    std::string route = std::string("/api/v1/playground/") + what;
    api->Add({"POST", route, Permission::kServiceRead, "playground.call", "service",
              std::string("Playground: OpenAI ") + what +
                  " for the service named by `model`, through the gateway on the signed-in "
                  "user's behalf (streams with \"stream\": true)"},
             [s, w = std::string(what)](Call& c) { return CallThroughGateway(s, c, w); });
  }
}

}  // namespace hai::portal
