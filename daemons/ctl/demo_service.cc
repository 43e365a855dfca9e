#include "daemons/ctl/demo_service.h"

#include <nlohmann/json.hpp>
#include <thread>

#include "lib/http/client.h"

namespace hai::ctl {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// The management API as the admin sees it; every answer outside 2xx is an
// error naming the call and the portal's message.
class PortalCalls {
 public:
  PortalCalls(http::HttpUrl portal, std::string ca_file)
      : portal_(std::move(portal)), ca_file_(std::move(ca_file)) {}

  Status SignIn(const std::string& user, const std::string& password) {
    HAI_ASSIGN_OR_RETURN(json r, Call("POST", "/api/v1/auth/login",
                                      json{{"username", user}, {"password", password}}));
    token_ = r.value("token", "");
    if (token_.empty()) return Status::Internal("the portal's sign-in answer has no token");
    return Status::Ok();
  }
  Result<json> Get(const std::string& path) { return Call("GET", path, nullptr); }
  Result<json> Post(const std::string& path, const json& body) { return Call("POST", path, body); }

 private:
  Result<json> Call(const std::string& method, const std::string& path, const json& body) {
    http::Client client(portal_, ca_file_, 10'000);
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"}};
    if (!token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
    auto r = client.Send(method, path, body.is_null() ? "" : body.dump(), headers);
    if (!r.ok()) return r.status();
    json answer = json::parse(r->body, nullptr, false);
    if (r->status / 100 == 2) return answer.is_discarded() ? json::object() : answer;
    std::string message = answer.is_discarded() ? r->body : answer["error"].value("message", "");
    return Status::Unavailable(method + " " + path + " answered " + std::to_string(r->status) +
                               ": " + message);
  }

  http::HttpUrl portal_;
  std::string ca_file_;
  std::string token_;
};

// The first item of a list answer whose `field` equals `value`, or null.
json FindItem(const json& list, const std::string& field, const std::string& value) {
  for (const json& item : list.value("items", json::array()))
    if (item.value(field, "") == value) return item;
  return nullptr;
}

// Polls `probe` every 200 ms until it yields an answer or `deadline` passes;
// `what` names the wait in the error.
template <typename Probe>
Result<json> WaitUntil(Clock::time_point deadline, const std::string& what, Probe probe) {
  for (;;) {
    HAI_ASSIGN_OR_RETURN(json found, probe());
    if (!found.is_null()) return found;
    if (Clock::now() > deadline) return Status::Unavailable("timed out waiting for " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result<int64_t> EnsureOrg(PortalCalls& portal, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(json orgs, portal.Get("/api/v1/orgs?limit=500"));
  json org = FindItem(orgs, "name", name);
  if (org.is_null()) {
    HAI_ASSIGN_OR_RETURN(
        org, portal.Post("/api/v1/orgs",
                         {{"name", name},
                          {"description", "Created by haictl up for the demo model service"}}));
  }
  return org["id"].get<int64_t>();
}

// The spec's vendor, or when it leaves the choice to us, one with a free
// device (waiting, within the deadline, for an agent to report one).
Result<std::string> ReplicaVendor(PortalCalls& portal, const DemoServiceSpec& spec,
                                  Clock::time_point deadline) {
  if (!spec.vendor.empty()) return spec.vendor;
  HAI_ASSIGN_OR_RETURN(
      json vendor, WaitUntil(deadline, "a free accelerator in the cluster", [&]() -> Result<json> {
        HAI_ASSIGN_OR_RETURN(json list, portal.Get("/api/v1/accelerators"));
        std::string found = PickVendor(list);
        return found.empty() ? json(nullptr) : json(found);
      }));
  return vendor.get<std::string>();
}

}  // namespace

std::string PickVendor(const json& accelerators) {
  if (!accelerators.is_object() || !accelerators.contains("items")) return "";
  for (const json& a : accelerators["items"]) {
    if (!a.is_object()) continue;
    if (a.value("node_status", "") == "Ready" && a.value("health", "") == "ok" &&
        a.value("held_by", json(nullptr)).is_null() && a.value("vendor", "") != "")
      return a.value("vendor", "");
  }
  return "";
}

Result<std::string> EnsureDemoService(int portal_port, const std::string& admin_user,
                                      const std::string& admin_password,
                                      const DemoServiceSpec& spec, std::chrono::seconds limit) {
  http::HttpUrl loopback;
  loopback.host = "127.0.0.1";
  loopback.port = portal_port;
  return EnsureDemoService(loopback, "", admin_user, admin_password, spec, limit);
}

Result<std::string> EnsureDemoService(const http::HttpUrl& portal_url, const std::string& ca_file,
                                      const std::string& admin_user,
                                      const std::string& admin_password,
                                      const DemoServiceSpec& spec, std::chrono::seconds limit) {
  const Clock::time_point deadline = Clock::now() + limit;
  PortalCalls portal(portal_url, ca_file);
  HAI_RETURN_IF_ERROR(portal.SignIn(admin_user, admin_password));

  // The portal registers demo weights when it notices them in their folder.
  auto registered = [&](const std::string& name) {
    return WaitUntil(deadline, "the portal to register the weights of " + name,
                     [&]() -> Result<json> {
                       HAI_ASSIGN_OR_RETURN(json list,
                                            portal.Get("/api/v1/models?q=" + name + "&limit=50"));
                       json m = FindItem(list, "name", name);
                       return !m.is_null() && m.value("available", false) ? m : json(nullptr);
                     });
  };
  HAI_ASSIGN_OR_RETURN(json model, registered(spec.model));
  for (const std::string& other : spec.also_registered)
    HAI_RETURN_IF_ERROR(registered(other).status());
  HAI_ASSIGN_OR_RETURN(int64_t org_id, EnsureOrg(portal, spec.org));

  HAI_ASSIGN_OR_RETURN(json services, portal.Get("/api/v1/services?q=" + spec.service + "&limit=50"));
  json service = FindItem(services, "name", spec.service);
  if (service.is_null()) {
    HAI_ASSIGN_OR_RETURN(service, portal.Post("/api/v1/services",
                                              {{"name", spec.service},
                                               {"model_id", model["id"]},
                                               {"org_id", org_id},
                                               {"description", "The demo model, deployed by haictl up"},
                                               {"capabilities", {"chat"}}}));
  }
  const std::string path = "/api/v1/services/" + std::to_string(service["id"].get<int64_t>());
  HAI_ASSIGN_OR_RETURN(json deployments, portal.Get(path + "/deployments"));
  if (deployments.value("items", json::array()).empty()) {
    HAI_ASSIGN_OR_RETURN(std::string vendor, ReplicaVendor(portal, spec, deadline));
    HAI_RETURN_IF_ERROR(portal
                            .Post(path + "/deployments",
                                  {{"engine", "builtin"},
                                   {"vendor", vendor},
                                   {"devices_per_replica", spec.devices_per_replica},
                                   {"replicas", 1}})
                            .status());
  } else if (FindItem(deployments, "state", "active").is_null()) {
    // Somebody stopped it on purpose: leave it so.
    return Status::FailedPrecondition("the deployments of service '" + spec.service +
                                      "' are stopped; start one in the portal");
  }
  HAI_ASSIGN_OR_RETURN(
      json replica,
      WaitUntil(deadline, "a Ready replica of service '" + spec.service + "'",
                [&]() -> Result<json> {
                  HAI_ASSIGN_OR_RETURN(json replicas, portal.Get(path + "/replicas"));
                  return FindItem(replicas, "status", "Ready");
                }));
  return replica.value("address", "");
}

}  // namespace hai::ctl
