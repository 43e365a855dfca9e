// Every route × role × (own organisation, another organisation), against a
// real hai-portal. A route added without a row here fails the test, so no
// route ships without a decided permission. Mutating requests must leave
// exactly one audit entry with the route's action.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <map>

#include "daemons/portal/portal_app.h"
#include "daemons/portal/tests/controller_rows.h"
#include "daemons/portal/tests/portal_process.h"

namespace hai::portal::testing {
namespace {

enum Who { kAnonymous, kCaller, kDeveloper, kOrgAdmin, kAdmin, kWhoCount };
const char* kWhoNames[] = {"anonymous", "caller", "developer", "org_admin", "admin"};

struct Target {
  int64_t org = 0;
  std::string tag;  // "own" or "other"
};

struct Request {
  std::string path;
  nlohmann::json body = nullptr;
};

struct Case {
  std::string method;
  std::string pattern;
  // Expected for anonymous, caller, developer, org_admin, admin: '+' passes
  // the access checks, '-' is refused (401, 403 or 404).
  std::string own;
  std::string other;
  std::function<Request(class World&, const Target&)> make;
};

// Two organisations; in A a caller, a developer and an org admin.
class World {
 public:
  explicit World(PortalProcess* p) : p_(p) {
    admin_ = p->AdminToken();
    org_a_ = p->CreateOrg(admin_, "Cardiology");
    org_b_ = p->CreateOrg(admin_, "Radiology");
    names_[kCaller] = "caller_a";
    names_[kDeveloper] = "developer_a";
    names_[kOrgAdmin] = "orgadmin_a";
    p->CreateUser(admin_, "caller_a", org_a_, "caller");
    p->CreateUser(admin_, "developer_a", org_a_, "developer");
    p->CreateUser(admin_, "orgadmin_a", org_a_, "org_admin");
    p->CreateUser(admin_, "developer_b", org_b_, "developer");
  }
  std::string TokenFor(Who who) {
    if (who == kAnonymous) return "";
    if (who == kAdmin) return p_->AdminToken();
    return p_->Login(names_[who], PortalProcess::kPassword);
  }
  // A fresh member of `org`, so destructive routes have something to act on.
  int64_t FreshMember(int64_t org, const std::string& role = "developer") {
    return p_->CreateUser(admin_, "m" + std::to_string(++seq_), org, role);
  }
  int64_t FreshUserNoOrg() { return p_->CreateUser(admin_, "u" + std::to_string(++seq_)); }
  std::string FreshName() { return "name" + std::to_string(++seq_); }
  // A key owned by a fresh developer of `org`.
  int64_t FreshKey(int64_t org) {
    std::string name = "k" + std::to_string(++seq_);
    p_->CreateUser(admin_, name, org, "developer");
    std::string token = p_->Login(name, PortalProcess::kPassword);
    auto r = p_->Send("POST", "/api/v1/api-keys", token,
                      {{"org_id", org}, {"name", "key"}, {"scopes", {"inference"}}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", int64_t{0});
  }
  // A catalogue model visible to `org` only (bge-m3 for A, the reranker for B).
  int64_t ModelFor(int64_t org) {
    if (model_of_.count(org)) return model_of_[org];
    const std::string name = org == org_a_ ? "bge-m3" : "bge-reranker-v2-m3";
    auto list = p_->Send("GET", "/api/v1/models?limit=500", admin_);
    int64_t id = 0;
    for (const auto& m : list.body["items"])
      if (m["name"] == name) id = m["id"].get<int64_t>();
    EXPECT_NE(id, 0) << name << " is not in the catalogue";
    auto r = p_->Send("PATCH", "/api/v1/models/" + std::to_string(id), admin_,
                      {{"visible_org_ids", {org}}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return model_of_[org] = id;
  }
  // A model with weights, shown to every organisation, for services.
  int64_t ServableModel() {
    if (servable_model_) return servable_model_;
    const std::string dir = p_->data_dir() + "/servable";
    const std::string cmd = BinDir() + "/hai-model init --out " + dir +
                            " --arch qwen2 --layers 1 --hidden 64 --heads 4 --kv-heads 2"
                            " --vocab 512 >/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    auto r = p_->Send("POST", "/api/v1/models/import", admin_,
                      {{"path", dir}, {"name", "servable"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return servable_model_ = r.body.value("id", int64_t{0});
  }
  // A service of `org`, made by the platform admin.
  int64_t FreshService(int64_t org) {
    auto r = p_->Send("POST", "/api/v1/services", admin_,
                      {{"name", FreshName()}, {"model_id", ServableModel()}, {"org_id", org}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", int64_t{0});
  }
  int64_t ServiceFor(int64_t org) {
    if (!service_of_.count(org)) service_of_[org] = FreshService(org);
    return service_of_[org];
  }
  std::string ServiceNameFor(int64_t org) {
    auto r = p_->Send("GET", "/api/v1/services/" + std::to_string(ServiceFor(org)), admin_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body.value("name", std::string());
  }
  // Deployments and replicas are stored directly: no scheduler runs here to
  // answer a fit check or to make replicas.
  ControllerRows& Rows() {
    if (!rows_) rows_ = std::make_unique<ControllerRows>(p_->data_dir() + "/data/hai.db");
    return *rows_;
  }
  int64_t FreshDeployment(int64_t org) {
    return Rows().AddDeployment(ServiceFor(org), p_->data_dir() + "/data/models/1");
  }
  std::string DeploymentPath(int64_t org, int64_t deployment) {
    return "/api/v1/services/" + std::to_string(ServiceFor(org)) + "/deployments/" +
           std::to_string(deployment);
  }
  int64_t DeploymentFor(int64_t org) {
    if (!deployment_of_.count(org)) deployment_of_[org] = FreshDeployment(org);
    return deployment_of_[org];
  }
  int64_t ReplicaFor(int64_t org) {
    if (!replica_of_.count(org))
      replica_of_[org] =
          Rows().AddReplica(DeploymentFor(org), "svc", cluster::ReplicaPhase::kReady, "node-x").id;
    return replica_of_[org];
  }
  int64_t org_a() const { return org_a_; }
  int64_t org_b() const { return org_b_; }
  const std::string& admin() const { return admin_; }

 private:
  PortalProcess* p_;
  std::string admin_;
  int64_t org_a_ = 0, org_b_ = 0;
  std::string names_[kWhoCount];
  std::map<int64_t, int64_t> model_of_;
  int64_t servable_model_ = 0;
  std::map<int64_t, int64_t> service_of_, deployment_of_, replica_of_;
  std::unique_ptr<ControllerRows> rows_;
  int seq_ = 0;
};

std::string Id(int64_t v) { return std::to_string(v); }

std::vector<Case> Cases() {
  const std::string orgs = "/api/v1/orgs/";
  return {
      {"POST", "/api/v1/auth/login", "+++++", "+++++",
       [](World& w, const Target&) {
         std::string name = "login" + w.FreshName();
         (void)name;
         return Request{"/api/v1/auth/login",
                        {{"username", "developer_b"}, {"password", PortalProcess::kPassword}}};
       }},
      {"POST", "/api/v1/auth/logout", "-++++", "-++++",
       [](World&, const Target&) { return Request{"/api/v1/auth/logout"}; }},
      {"GET", "/api/v1/endpoints", "-++++", "-++++",
       [](World&, const Target&) { return Request{"/api/v1/endpoints"}; }},
      {"GET", "/api/v1/auth/me", "-++++", "-++++",
       [](World&, const Target&) { return Request{"/api/v1/auth/me"}; }},
      {"POST", "/api/v1/auth/password", "-++++", "-++++",
       [](World&, const Target&) {  // wrong old password: passes access, fails validation
         return Request{"/api/v1/auth/password",
                        {{"old_password", "not-the-password"}, {"new_password", "Another-pass-1"}}};
       }},
      {"GET", "/api/v1/orgs", "-++++", "-++++",
       [](World&, const Target&) { return Request{"/api/v1/orgs"}; }},
      {"POST", "/api/v1/orgs", "----+", "----+",
       [](World& w, const Target&) { return Request{"/api/v1/orgs", {{"name", w.FreshName()}}}; }},
      {"GET", "/api/v1/orgs/{id}", "-++++", "----+",
       [orgs](World&, const Target& t) { return Request{orgs + Id(t.org)}; }},
      {"PATCH", "/api/v1/orgs/{id}", "---++", "----+",
       [orgs](World&, const Target& t) {
         return Request{orgs + Id(t.org), {{"description", "updated"}}};
       }},
      {"DELETE", "/api/v1/orgs/{id}", "----+", "----+",  // refused with 409: has members
       [orgs](World&, const Target& t) { return Request{orgs + Id(t.org)}; }},
      {"GET", "/api/v1/orgs/{id}/members", "-++++", "----+",
       [orgs](World&, const Target& t) { return Request{orgs + Id(t.org) + "/members"}; }},
      {"POST", "/api/v1/orgs/{id}/members", "---++", "----+",
       [orgs](World& w, const Target& t) {
         return Request{orgs + Id(t.org) + "/members",
                        {{"user_id", w.FreshUserNoOrg()}, {"role", "caller"}}};
       }},
      {"PATCH", "/api/v1/orgs/{id}/members/{user_id}", "---++", "----+",
       [orgs](World& w, const Target& t) {
         return Request{orgs + Id(t.org) + "/members/" + Id(w.FreshMember(t.org)),
                        {{"role", "caller"}}};
       }},
      {"DELETE", "/api/v1/orgs/{id}/members/{user_id}", "---++", "----+",
       [orgs](World& w, const Target& t) {
         return Request{orgs + Id(t.org) + "/members/" + Id(w.FreshMember(t.org))};
       }},
      {"GET", "/api/v1/users", "---++", "---++",
       [](World&, const Target&) { return Request{"/api/v1/users"}; }},
      {"POST", "/api/v1/users", "---++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/users",
                        {{"username", w.FreshName()},
                         {"password", PortalProcess::kPassword},
                         {"org_id", t.org},
                         {"role", "caller"}}};
       }},
      {"GET", "/api/v1/users/{id}", "---++", "----+",
       [](World& w, const Target& t) { return Request{"/api/v1/users/" + Id(w.FreshMember(t.org))}; }},
      {"PATCH", "/api/v1/users/{id}", "----+", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/users/" + Id(w.FreshMember(t.org)), {{"display_name", "Dr. X"}}};
       }},
      {"DELETE", "/api/v1/users/{id}", "----+", "----+",
       [](World& w, const Target& t) { return Request{"/api/v1/users/" + Id(w.FreshMember(t.org))}; }},
      {"POST", "/api/v1/users/{id}/password", "----+", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/users/" + Id(w.FreshMember(t.org)) + "/password",
                        {{"new_password", "Reset-by-admin-1"}}};
       }},
      {"POST", "/api/v1/users/{id}/unlock", "----+", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/users/" + Id(w.FreshMember(t.org)) + "/unlock"};
       }},
      {"GET", "/api/v1/api-keys", "-++++", "-++++",
       [](World&, const Target& t) { return Request{"/api/v1/api-keys?org_id=" + Id(t.org)}; }},
      {"POST", "/api/v1/api-keys", "-++++", "----+",  // admin outside the org: 400, not denied
       [](World&, const Target& t) {
         return Request{"/api/v1/api-keys",
                        {{"org_id", t.org}, {"name", "ci"}, {"scopes", {"inference"}}}};
       }},
      {"DELETE", "/api/v1/api-keys/{id}", "---++", "----+",
       [](World& w, const Target& t) { return Request{"/api/v1/api-keys/" + Id(w.FreshKey(t.org))}; }},
      {"PATCH", "/api/v1/api-keys/{id}", "---++", "----+",  // the org's admins, not the owner
       [](World& w, const Target& t) {
         return Request{"/api/v1/api-keys/" + Id(w.FreshKey(t.org)), {{"rpm_limit", 60}}};
       }},
      {"GET", "/api/v1/audit-events", "---++", "---++",
       [](World&, const Target&) { return Request{"/api/v1/audit-events"}; }},
      {"GET", "/api/v1/audit-events/export", "---++", "---++",
       [](World&, const Target&) { return Request{"/api/v1/audit-events/export"}; }},
      {"GET", "/internal/v1/api-keys/validate", "-----", "-----",
       [](World&, const Target&) { return Request{"/internal/v1/api-keys/validate"}; }},
      {"GET", "/api/v1/nodes", "--+++", "--+++",  // 503 here: no scheduler runs in this test
       [](World&, const Target&) { return Request{"/api/v1/nodes"}; }},
      {"GET", "/api/v1/accelerators", "--+++", "--+++",
       [](World&, const Target&) { return Request{"/api/v1/accelerators?vendor=ascend"}; }},
      {"POST", "/api/v1/placements/dry-run", "--+++", "--+++",
       [](World&, const Target&) {
         return Request{"/api/v1/placements/dry-run",
                        {{"vendor", "ascend"}, {"devices_per_replica", 1}, {"replicas", 1}}};
       }},
      {"GET", "/api/v1/cluster-events", "--+++", "--+++",
       [](World&, const Target&) { return Request{"/api/v1/cluster-events"}; }},
      {"GET", "/api/v1/models", "-++++", "-++++",
       [](World&, const Target&) { return Request{"/api/v1/models?q=bge"}; }},
      {"POST", "/api/v1/models/import", "----+", "----+",  // admin: 400, no such folder
       [](World&, const Target&) {
         return Request{"/api/v1/models/import", {{"path", "/nonexistent/hai-model"}}};
       }},
      {"GET", "/api/v1/engines", "-++++", "-++++",
       [](World&, const Target&) { return Request{"/api/v1/engines"}; }},
      {"GET", "/api/v1/models/{id}", "-++++", "----+",  // another org's model: 404
       [](World& w, const Target& t) { return Request{"/api/v1/models/" + Id(w.ModelFor(t.org))}; }},
      {"PATCH", "/api/v1/models/{id}", "----+", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/models/" + Id(w.ModelFor(t.org)), {{"licence", "MIT"}}};
       }},
      {"DELETE", "/api/v1/models/{id}", "----+", "----+",  // admin: 409, a card without weights
       [](World& w, const Target& t) { return Request{"/api/v1/models/" + Id(w.ModelFor(t.org))}; }},
      {"GET", "/api/v1/services", "-++++", "-++++",
       [](World&, const Target& t) { return Request{"/api/v1/services?org_id=" + Id(t.org)}; }},
      {"POST", "/api/v1/services", "--+++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/services", {{"name", w.FreshName()},
                                             {"model_id", w.ServableModel()},
                                             {"org_id", t.org}}};
       }},
      {"GET", "/api/v1/services/{id}", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/services/" + Id(w.ServiceFor(t.org))};
       }},
      {"PATCH", "/api/v1/services/{id}", "--+++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/services/" + Id(w.ServiceFor(t.org)), {{"description", "ward"}}};
       }},
      {"DELETE", "/api/v1/services/{id}", "--+++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/services/" + Id(w.FreshService(t.org))};
       }},
      {"GET", "/api/v1/services/{id}/deployments", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/services/" + Id(w.ServiceFor(t.org)) + "/deployments"};
       }},
      {"POST", "/api/v1/services/{id}/deployments", "--+++", "----+",  // 503: no scheduler here
       [](World& w, const Target& t) {
         return Request{"/api/v1/services/" + Id(w.ServiceFor(t.org)) + "/deployments",
                        {{"engine", "builtin"},
                         {"vendor", "ascend"},
                         {"devices_per_replica", 1},
                         {"replicas", 1}}};
       }},
      {"GET", "/api/v1/services/{id}/deployments/{deployment_id}", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{w.DeploymentPath(t.org, w.DeploymentFor(t.org))};
       }},
      {"PATCH", "/api/v1/services/{id}/deployments/{deployment_id}", "--+++", "----+",
       [](World& w, const Target& t) {
         return Request{w.DeploymentPath(t.org, w.DeploymentFor(t.org)), {{"weight", 50}}};
       }},
      {"DELETE", "/api/v1/services/{id}/deployments/{deployment_id}", "--+++", "----+",
       [](World& w, const Target& t) {
         return Request{w.DeploymentPath(t.org, w.FreshDeployment(t.org))};
       }},
      {"GET", "/api/v1/services/{id}/replicas", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/services/" + Id(w.ServiceFor(t.org)) + "/replicas"};
       }},
      {"GET", "/api/v1/replicas/{id}/events", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/replicas/" + Id(w.ReplicaFor(t.org)) + "/events"};
       }},
      {"GET", "/api/v1/replicas/{id}/logs", "-++++", "----+",  // 503: no scheduler here
       [](World& w, const Target& t) {
         return Request{"/api/v1/replicas/" + Id(w.ReplicaFor(t.org)) + "/logs?tail=10"};
       }},
      {"GET", "/api/v1/replicas/{id}/processes", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/replicas/" + Id(w.ReplicaFor(t.org)) + "/processes"};
       }},
      {"POST", "/api/v1/services/{id}/chat/completions", "-++++", "----+",  // 409: no replica
       [](World& w, const Target& t) {
         return Request{"/api/v1/services/" + Id(w.ServiceFor(t.org)) + "/chat/completions",
                        {{"messages", {{{"role", "user"}, {"content", "hi"}}}}}};
       }},
      {"POST", "/api/v1/services/{id}/embeddings", "-++++", "----+",  // 409: no replica
       [](World& w, const Target& t) {
         return Request{"/api/v1/services/" + Id(w.ServiceFor(t.org)) + "/embeddings",
                        {{"input", "hi"}}};
       }},
      // 503 past the checks: no gateway is configured here.
      {"POST", "/api/v1/playground/chat/completions", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/playground/chat/completions",
                        {{"model", w.ServiceNameFor(t.org)}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}}};
       }},
      // 503 past the checks: no gateway is configured here.
      {"POST", "/api/v1/playground/completions", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/playground/completions",
                        {{"model", w.ServiceNameFor(t.org)}, {"prompt", "hi"}}};
       }},
      // 503 past the checks: no gateway is configured here.
      {"POST", "/api/v1/playground/embeddings", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/playground/embeddings",
                        {{"model", w.ServiceNameFor(t.org)}, {"input", "hi"}}};
       }},
      // 503 past the checks: no gateway is configured here.
      {"POST", "/api/v1/playground/rerank", "-++++", "----+",
       [](World& w, const Target& t) {
         return Request{"/api/v1/playground/rerank",
                        {{"model", w.ServiceNameFor(t.org)}, {"query", "hi"}, {"documents", {"a", "b"}}}};
       }},
      {"GET", "/api/v1/openapi.json", "+++++", "+++++",
       [](World&, const Target&) { return Request{"/api/v1/openapi.json"}; }},
      {"POST", "/internal/v1/call-logs", "-----", "-----",  // the cluster token only
       [](World&, const Target&) {
         return Request{"/internal/v1/call-logs", {{"records", nlohmann::json::array()}}};
       }},
      {"GET", "/api/v1/call-logs", "-++++", "-++++",  // the list narrows to what one may see
       [](World&, const Target& t) { return Request{"/api/v1/call-logs?org_id=" + Id(t.org)}; }},
      {"GET", "/api/v1/monitoring/series", "--+++", "--+++",
       [](World&, const Target& t) {
         return Request{"/api/v1/monitoring/series?org_id=" + Id(t.org)};
       }},
  };
}

bool Denied(int status) { return status == 401 || status == 403 || status == 404; }

TEST(RbacMatrixTest, EveryRouteHasARow) {
  Services services;
  auto api = RouteTableForDocs(&services);
  std::map<std::string, int> rows;
  for (const Case& c : Cases()) rows[c.method + " " + c.pattern]++;
  for (const RouteSpec& spec : api->specs()) {
    std::string key = spec.method + " " + spec.pattern;
    EXPECT_EQ(rows[key], 1) << "route " << key << " needs exactly one row in the matrix";
  }
  EXPECT_EQ(rows.size(), api->specs().size()) << "the matrix names a route that does not exist";
}

TEST(RbacMatrixTest, RoutesRolesAndOrganisations) {
  PortalProcess portal("catalog_dir = \"" + SourceDir() + "/profiles/catalog\"\n" +
                       "engine_profiles_dir = \"" + SourceDir() + "/profiles/engines\"\n");
  ASSERT_TRUE(portal.ok());
  World world(&portal);
  Services services;
  auto api = RouteTableForDocs(&services);
  std::map<std::string, RouteSpec> specs;
  for (const RouteSpec& s : api->specs()) specs[s.method + " " + s.pattern] = s;

  int checked = 0;
  for (const Case& c : Cases()) {
    const RouteSpec& spec = specs[c.method + " " + c.pattern];
    for (const Target& target : {Target{world.org_a(), "own"}, Target{world.org_b(), "other"}}) {
      const std::string& expect = target.tag == "own" ? c.own : c.other;
      for (int who = 0; who < kWhoCount; ++who) {
        Request req = c.make(world, target);
        std::string token = world.TokenFor(static_cast<Who>(who));
        int64_t before = portal.AuditTotal(world.admin());
        auto reply = portal.Send(c.method, req.path, token, req.body);
        int64_t after = portal.AuditTotal(world.admin());
        bool allowed = !Denied(reply.status);
        EXPECT_EQ(allowed, expect[who] == '+')
            << c.method << " " << c.pattern << " as " << kWhoNames[who] << " on " << target.tag
            << " org: status " << reply.status << " " << reply.raw;
        EXPECT_NE(reply.status, 500) << c.method << " " << req.path << " " << reply.raw;
        if (c.method != "GET" && spec.audited) {
          EXPECT_EQ(after - before, 1) << c.method << " " << c.pattern << " as " << kWhoNames[who]
                                       << " must leave exactly one audit entry";
          auto last = portal.Send("GET", "/api/v1/audit-events?limit=1", world.admin());
          EXPECT_EQ(last.body["items"][0]["action"], spec.action) << c.pattern;
          EXPECT_EQ(last.body["items"][0]["outcome"], reply.status < 400 ? "success" : "failure");
          EXPECT_EQ(last.body["items"][0]["request_id"], reply.request_id);
        } else {
          EXPECT_EQ(after, before) << c.pattern << ": reads (and unaudited routes) leave none";
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>(Cases().size()) * 2 * kWhoCount);
}

}  // namespace
}  // namespace hai::portal::testing
