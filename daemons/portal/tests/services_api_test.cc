// Model services and deployments through a real hai-portal, with a real
// hai-scheduler and a real hai-agent simulating an 8-card Ascend node to
// answer the fit checks: creation and its refusals, scale/stop/change/delete
// as rows, roles and organisations, replica rows and events written the way
// the deployment controller writes them, and logs and processes relayed from
// a node's agent (a small real HTTP server serving the agent's two paths).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "daemons/portal/tests/cluster_rig.h"
#include "daemons/portal/tests/controller_rows.h"
#include "daemons/portal/tests/portal_process.h"
#include "lib/http/bearer.h"
#include "lib/http/client.h"
#include "lib/http/server.h"

namespace hai::portal::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// The shipped catalogue and engine profiles, from the source tree.
std::string Shipped() {
  return "catalog_dir = \"" + SourceDir() + "/profiles/catalog\"\nengine_profiles_dir = \"" +
         SourceDir() + "/profiles/engines\"\n";
}

bool WaitFor(const std::function<bool()>& done, int tries = 300) {
  for (int i = 0; i < tries; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done();
}

// The agent's side of a replica's logs and processes, served for real:
// GET /internal/v1/replicas/{id}/logs (tail, follow, download) and
// /processes, behind the cluster token.
class AgentStandIn {
 public:
  AgentStandIn(std::string token, std::string wire_id)
      : token_(std::move(token)), wire_id_(std::move(wire_id)) {
    router_.Add("GET", "/internal/v1/replicas/{id}/logs",
                [this](http::Request& req) { return Logs(req); });
    router_.Add("GET", "/internal/v1/replicas/{id}/processes",
                [this](http::Request& req) { return Processes(req); });
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~AgentStandIn() { server_->Stop(); }
  int port() const { return server_->port(); }

  std::atomic<int> follows{0};          // follow streams started
  std::atomic<bool> follow_cut{false};  // the portal closed a quiet follow stream
  // The query of the last logs request that was not a follow.
  std::string LastQuery() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_query_;
  }

 private:
  std::optional<http::Response> Refuse(const http::Request& req) {
    if (!http::BearerMatches(req, token_))
      return http::Response::Error(Status::Unauthenticated("cluster token needed"));
    if (req.Param("id") != wire_id_)
      return http::Response::Error(Status::NotFound("no replica " + req.Param("id") + " here"));
    return std::nullopt;
  }
  http::Response Logs(http::Request& req) {
    if (auto refused = Refuse(req)) return *refused;
    if (req.Query("follow") == "true") {
      ++follows;
      // Three lines, then quiet until the reader is gone.
      return http::Response::Stream("text/plain", [this](const http::StreamWrite& write) {
        for (int i = 1; i <= 3; ++i)
          if (!write("live " + std::to_string(i) + "\n")) return false;
        for (int i = 0; i < 3000; ++i) {
          if (!write("")) {
            follow_cut = true;
            return false;
          }
          std::this_thread::sleep_for(10ms);
        }
        return true;
      });
    }
    std::string query;
    for (const auto& [k, v] : req.query) query += (query.empty() ? "" : "&") + k + "=" + v;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_query_ = query;
    }
    const std::vector<std::string> lines = {"line 1", "line 2", "line 3", "line 4", "line 5"};
    size_t tail = req.Query("tail") ? std::stoul(*req.Query("tail")) : lines.size();
    std::string body;
    for (size_t i = lines.size() - std::min(tail, lines.size()); i < lines.size(); ++i)
      body += lines[i] + "\n";
    return http::Response::Text(200, body, "text/plain; charset=utf-8");
  }
  http::Response Processes(http::Request& req) {
    if (auto refused = Refuse(req)) return *refused;
    return http::Response::Json(200, {{"items",
                                       {{{"pid", 4242},
                                         {"command", "hai-engine --model /m --port 21000"},
                                         {"state", "S"},
                                         {"uptime_s", 12},
                                         {"rss_bytes", 1048576}}}}});
  }

  std::string token_, wire_id_;
  std::mutex mu_;
  std::string last_query_;  // GUARDED_BY(mu_)
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
};

class ServicesApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rig_ = new ClusterRig({{"ascend-910b3-x8.toml"}});
    if (!rig_->ok() || !rig_->WaitForReadyNodes(1)) return;
    portal_ = new PortalProcess(Shipped() + rig_->PortalConfig());
    if (!portal_->ok()) return;
    admin_ = portal_->AdminToken();
    org_a_ = portal_->CreateOrg(admin_, "Cardiology");
    org_b_ = portal_->CreateOrg(admin_, "Radiology");
    portal_->CreateUser(admin_, "caller_a", org_a_, "caller");
    portal_->CreateUser(admin_, "developer_a", org_a_, "developer");
    portal_->CreateUser(admin_, "orgadmin_a", org_a_, "org_admin");
    portal_->CreateUser(admin_, "developer_b", org_b_, "developer");
    work_ = portal_->data_dir() + "/work";
    fs::create_directories(work_);
    chat_model_ = Import("tiny-chat",
                         "--arch qwen2 --layers 1 --hidden 64 --heads 4 --kv-heads 2 "
                         "--vocab 512",
                         {});
    private_model_ = Import(
        "tiny-private", "--arch qwen2 --layers 1 --hidden 64 --heads 4 --kv-heads 2 --vocab 512",
        {{"visible_org_ids", {org_a_}}});
    embed_model_ = Import("tiny-embed",
                          "--arch bert --layers 1 --hidden 16 --heads 2 --vocab 300 "
                          "--max-position 64",
                          {{"category", "embedding"}});
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete rig_;
  }
  void SetUp() override {
    ASSERT_TRUE(rig_->ok());
    ASSERT_NE(portal_, nullptr) << "the scheduler's node never became Ready";
    ASSERT_TRUE(portal_->ok());
    ASSERT_NE(chat_model_, 0);
  }

  // `hai-model init` into a folder, imported by the platform admin.
  static int64_t Import(const std::string& name, const std::string& flags, json extra) {
    std::string out = work_ + "/" + name;
    std::string cmd = BinDir() + "/hai-model init --out " + out + " " + flags + " >/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    json body = {{"path", out}, {"name", name}};
    if (extra.is_object()) body.update(extra);
    auto r = portal_->Send("POST", "/api/v1/models/import", admin_, body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.status == 201 ? r.body["id"].get<int64_t>() : 0;
  }
  static int64_t CatalogModel(const std::string& name) {
    auto r = portal_->Send("GET", "/api/v1/models?limit=500", admin_);
    for (const json& m : r.body["items"])
      if (m["name"] == name) return m["id"].get<int64_t>();
    ADD_FAILURE() << name << " is not in the catalogue";
    return 0;
  }
  static std::string Token(const std::string& user) {
    return portal_->Login(user, PortalProcess::kPassword);
  }
  static json Service(const std::string& name, int64_t model, int64_t org) {
    return {{"name", name}, {"model_id", model}, {"org_id", org}};
  }
  // A service of org A made by its developer; fails the test otherwise.
  static json MakeService(const std::string& name, int64_t model = 0) {
    auto r = portal_->Send("POST", "/api/v1/services", Token("developer_a"),
                           Service(name, model ? model : chat_model_, org_a_));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }
  static json Deployment(int64_t devices = 1, int64_t replicas = 2) {
    return {{"engine", "builtin"},
            {"vendor", "ascend"},
            {"model", "Ascend910B3"},
            {"devices_per_replica", devices},
            {"replicas", replicas}};
  }
  static std::string Path(const json& service) {
    return "/api/v1/services/" + std::to_string(service["id"].get<int64_t>());
  }
  static json LastAudit() {
    return portal_->Send("GET", "/api/v1/audit-events?limit=1", admin_).body["items"][0];
  }
  static std::unique_ptr<ControllerRows> Rows() {
    return std::make_unique<ControllerRows>(portal_->data_dir() + "/data/hai.db");
  }

  static ClusterRig* rig_;
  static PortalProcess* portal_;
  static std::string admin_, work_;
  static int64_t org_a_, org_b_, chat_model_, private_model_, embed_model_;
};
ClusterRig* ServicesApiTest::rig_ = nullptr;
PortalProcess* ServicesApiTest::portal_ = nullptr;
std::string ServicesApiTest::admin_, ServicesApiTest::work_;
int64_t ServicesApiTest::org_a_ = 0, ServicesApiTest::org_b_ = 0, ServicesApiTest::chat_model_ = 0,
        ServicesApiTest::private_model_ = 0, ServicesApiTest::embed_model_ = 0;

TEST_F(ServicesApiTest, CreateListAndRead) {
  const std::string dev = Token("developer_a");
  auto made = portal_->Send("POST", "/api/v1/services", dev,
                            {{"name", "triage-chat"},
                             {"model_id", chat_model_},
                             {"org_id", org_a_},
                             {"description", "Ward triage assistant"},
                             {"capabilities", {"chat"}}});
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body["name"], "triage-chat");
  EXPECT_EQ(made.body["model_id"], chat_model_);
  EXPECT_EQ(made.body["model_name"], "tiny-chat");
  EXPECT_EQ(made.body["org_id"], org_a_);
  EXPECT_EQ(made.body["capabilities"], json({"chat"}));
  EXPECT_EQ(made.body["desired"], 0);
  EXPECT_EQ(made.body["ready"], 0);
  EXPECT_EQ(made.body["online"], false);
  EXPECT_EQ(made.body["state"], "active");
  json audit = LastAudit();
  EXPECT_EQ(audit["action"], "service.create");
  EXPECT_EQ(audit["outcome"], "success");
  EXPECT_EQ(audit["org_id"], org_a_);
  EXPECT_EQ(audit["resource_id"], std::to_string(made.body["id"].get<int64_t>()));

  auto read = portal_->Send("GET", Path(made.body), Token("caller_a"));
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["deployments"], json::array());
  auto list = portal_->Send("GET", "/api/v1/services?q=triage", Token("caller_a"));
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["total"], 1);
  EXPECT_EQ(list.body["items"][0]["name"], "triage-chat");
  EXPECT_EQ(portal_->Send("GET", "/api/v1/services?q=triage", Token("developer_b")).body["total"],
            0)
      << "another organisation's services are not listed";
  auto by_model =
      portal_->Send("GET", "/api/v1/services?model_id=" + std::to_string(embed_model_), admin_);
  EXPECT_EQ(by_model.body["total"], 0);
  auto bad_sort = portal_->Send("GET", "/api/v1/services?sort=colour", admin_);
  EXPECT_EQ(bad_sort.status, 400);
  EXPECT_EQ(bad_sort.body["error"]["field"], "sort");

  auto patched = portal_->Send("PATCH", Path(made.body), dev, {{"description", "Night triage"}});
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["description"], "Night triage");
  EXPECT_EQ(portal_->Send("PATCH", Path(made.body), dev, {{"name", "other"}}).status, 400)
      << "the name callers use does not change";
}

// The deploy form's engine list: every shipped profile, with what it serves.
TEST_F(ServicesApiTest, EnginesListTheShippedProfiles) {
  auto r = portal_->Send("GET", "/api/v1/engines", Token("caller_a"));
  ASSERT_EQ(r.status, 200) << r.raw;
  std::map<std::string, json> by_name;
  for (const json& e : r.body["items"]) by_name[e["name"].get<std::string>()] = e;
  for (const char* name : {"builtin", "vllm", "vllm-ascend", "mindie", "sglang", "llama-cpp-server"})
    EXPECT_TRUE(by_name.count(name)) << name << " missing: " << r.raw;
  const json& builtin = by_name["builtin"];
  EXPECT_NE(std::find(builtin["categories"].begin(), builtin["categories"].end(), "embedding"),
            builtin["categories"].end());
  EXPECT_NE(std::find(builtin["vendors"].begin(), builtin["vendors"].end(), "ascend"),
            builtin["vendors"].end());
  EXPECT_EQ(builtin["runs_on_simulated_devices"], true);
  EXPECT_FALSE(builtin["params"].empty());
  EXPECT_EQ(portal_->Send("GET", "/api/v1/engines", "").status, 401);
}

TEST_F(ServicesApiTest, BadServicesAreRefusedWithTheirReason) {
  const std::string dev = Token("developer_a");
  MakeService("dup-name");
  auto dup =
      portal_->Send("POST", "/api/v1/services", dev, Service("DUP-name", chat_model_, org_a_));
  EXPECT_EQ(dup.status, 409) << dup.raw;
  EXPECT_EQ(dup.body["error"]["field"], "name");
  auto bad_name =
      portal_->Send("POST", "/api/v1/services", dev, Service("-x", chat_model_, org_a_));
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_EQ(bad_name.body["error"]["field"], "name");
  auto unknown = portal_->Send("POST", "/api/v1/services", dev, Service("nope1", 987654, org_a_));
  EXPECT_EQ(unknown.status, 404) << unknown.raw;
  EXPECT_EQ(unknown.body["error"]["field"], "model_id");
  const int64_t catalogue_only = CatalogModel("bge-m3");
  auto no_weights =
      portal_->Send("POST", "/api/v1/services", dev, Service("nope2", catalogue_only, org_a_));
  EXPECT_EQ(no_weights.status, 400) << no_weights.raw;
  EXPECT_EQ(no_weights.body["error"]["field"], "model_id");
  EXPECT_NE(no_weights.raw.find("no weights"), std::string::npos) << no_weights.raw;
  // A model shown to organisation A only: B's developer cannot see it at
  // all; the platform admin sees it but B may not use it.
  auto hidden = portal_->Send("POST", "/api/v1/services", Token("developer_b"),
                              Service("nope3", private_model_, org_b_));
  EXPECT_EQ(hidden.status, 404) << hidden.raw;
  auto not_for_b =
      portal_->Send("POST", "/api/v1/services", admin_, Service("nope4", private_model_, org_b_));
  EXPECT_EQ(not_for_b.status, 400) << not_for_b.raw;
  EXPECT_EQ(not_for_b.body["error"]["field"], "model_id");
  auto bad_cap = portal_->Send("POST", "/api/v1/services", dev,
                               {{"name", "nope5"},
                                {"model_id", chat_model_},
                                {"org_id", org_a_},
                                {"capabilities", {"telepathy"}}});
  EXPECT_EQ(bad_cap.status, 400);
  EXPECT_EQ(bad_cap.body["error"]["field"], "capabilities");
  auto missing =
      portal_->Send("POST", "/api/v1/services", dev, {{"name", "nope6"}, {"org_id", org_a_}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body["error"]["field"], "model_id");
  EXPECT_EQ(portal_->Send("GET", "/api/v1/services?q=nope", admin_).body["total"], 0)
      << "nothing refused was stored";
}

TEST_F(ServicesApiTest, RolesAndOrganisations) {
  auto by_caller = portal_->Send("POST", "/api/v1/services", Token("caller_a"),
                                 Service("by-caller", chat_model_, org_a_));
  EXPECT_EQ(by_caller.status, 403) << by_caller.raw;
  auto into_b = portal_->Send("POST", "/api/v1/services", Token("developer_a"),
                              Service("into-b", chat_model_, org_b_));
  EXPECT_EQ(into_b.status, 404) << "not a member of B: B does not exist for them";
  auto by_orgadmin = portal_->Send("POST", "/api/v1/services", Token("orgadmin_a"),
                                   Service("by-orgadmin", chat_model_, org_a_));
  EXPECT_EQ(by_orgadmin.status, 201) << by_orgadmin.raw;

  json s = MakeService("roles-svc");
  const std::string other = Token("developer_b");
  EXPECT_EQ(portal_->Send("GET", Path(s), other).status, 404);
  EXPECT_EQ(portal_->Send("PATCH", Path(s), other, {{"description", "x"}}).status, 404);
  EXPECT_EQ(portal_->Send("DELETE", Path(s), other).status, 404);
  EXPECT_EQ(portal_->Send("GET", Path(s) + "/deployments", other).status, 404);
  EXPECT_EQ(portal_->Send("POST", Path(s) + "/deployments", other, Deployment()).status, 404);
  EXPECT_EQ(portal_->Send("GET", Path(s) + "/replicas", other).status, 404);
  const std::string caller = Token("caller_a");
  EXPECT_EQ(portal_->Send("GET", Path(s), caller).status, 200);
  EXPECT_EQ(portal_->Send("PATCH", Path(s), caller, {{"description", "x"}}).status, 403);
  EXPECT_EQ(portal_->Send("POST", Path(s) + "/deployments", caller, Deployment()).status, 403);
  EXPECT_EQ(portal_->Send("DELETE", Path(s), caller).status, 403);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/services").status, 401);
  json audit = LastAudit();
  EXPECT_EQ(audit["action"], "service.delete");
  EXPECT_EQ(audit["outcome"], "failure");
}

TEST_F(ServicesApiTest, BadDeploymentsAreRefusedAndNothingIsStored) {
  json s = MakeService("bad-deploy");
  const std::string dev = Token("developer_a");
  const std::string path = Path(s) + "/deployments";
  auto send = [&](json body) { return portal_->Send("POST", path, dev, body); };
  json engine = Deployment();
  engine["engine"] = "vlm";
  auto unknown = send(engine);
  EXPECT_EQ(unknown.status, 400) << unknown.raw;
  EXPECT_EQ(unknown.body["error"]["field"], "engine");
  EXPECT_NE(unknown.raw.find("vlm"), std::string::npos);
  json negative = Deployment(1, -1);
  auto neg = send(negative);
  EXPECT_EQ(neg.status, 400);
  EXPECT_EQ(neg.body["error"]["field"], "replicas");
  auto devices = send(Deployment(-1, 1));
  EXPECT_EQ(devices.status, 400);
  EXPECT_EQ(devices.body["error"]["field"], "devices_per_replica");
  json shell = Deployment();
  shell["args"] = {"--max-num-seqs", "8 && reboot"};
  auto args = send(shell);
  EXPECT_EQ(args.status, 400);
  EXPECT_EQ(args.body["error"]["field"], "args[1]");
  json reserved = Deployment();
  reserved["args"] = {"--port", "80"};
  auto port = send(reserved);
  EXPECT_EQ(port.status, 400) << port.raw;
  EXPECT_EQ(port.body["error"]["field"], "args[0]");
  json env = Deployment();
  env["env"] = {{"OK_NAME", 1}};
  auto env_type = send(env);
  EXPECT_EQ(env_type.status, 400);
  EXPECT_EQ(env_type.body["error"]["field"], "env.OK_NAME");
  json vendor = Deployment();
  vendor["engine"] = "mindie";
  vendor["vendor"] = "nvidia";
  vendor["model"] = "";
  auto wrong_vendor = send(vendor);
  EXPECT_EQ(wrong_vendor.status, 400);
  EXPECT_EQ(wrong_vendor.body["error"]["field"], "vendor");
  json unknown_field = Deployment();
  unknown_field["gpus"] = 2;
  EXPECT_EQ(send(unknown_field).body["error"]["field"], "gpus");

  // An embedding model on an engine that only generates text.
  json embed = MakeService("bad-embed", embed_model_);
  json mindie = Deployment();
  mindie["engine"] = "mindie";
  auto category = portal_->Send("POST", Path(embed) + "/deployments", dev, mindie);
  EXPECT_EQ(category.status, 400) << category.raw;
  EXPECT_EQ(category.body["error"]["field"], "engine");
  EXPECT_NE(category.raw.find("embedding"), std::string::npos);

  // 16 cards per replica on 8-card nodes: the scheduler's reasons, per node.
  auto too_big = send(Deployment(16, 1));
  ASSERT_EQ(too_big.status, 409) << too_big.raw;
  EXPECT_EQ(too_big.body["error"]["code"], "does_not_fit");
  const json& reasons = too_big.body["error"]["reasons"];
  ASSERT_TRUE(reasons.is_array());
  bool names_node = false;
  for (const json& r : reasons)
    names_node |= r["node"] == "node-1" && !r["code"].get<std::string>().empty() &&
                  !r["message"].get<std::string>().empty();
  EXPECT_TRUE(names_node) << too_big.raw;
  json audit = LastAudit();
  EXPECT_EQ(audit["action"], "deployment.create");
  EXPECT_EQ(audit["outcome"], "failure");
  EXPECT_NE(audit["reason"].get<std::string>().find("does_not_fit"), std::string::npos);
  // A cluster no node belongs to (the rig's node has no cluster label: it is
  // in "default").
  json elsewhere = Deployment(1, 1);
  elsewhere["cluster"] = "radiology";
  auto no_cluster = send(elsewhere);
  ASSERT_EQ(no_cluster.status, 409) << no_cluster.raw;
  EXPECT_NE(no_cluster.raw.find("in cluster default, not radiology"), std::string::npos)
      << no_cluster.raw;
  EXPECT_EQ(portal_->Send("GET", path, dev).body["total"], 0) << "nothing refused was stored";
}

TEST_F(ServicesApiTest, ScaleStopChangeAndDeleteAreRows) {
  json s = MakeService("flows");
  const std::string dev = Token("developer_a");
  auto made = portal_->Send("POST", Path(s) + "/deployments", dev, Deployment(1, 2));
  ASSERT_EQ(made.status, 201) << made.raw;
  const json& d = made.body;
  EXPECT_EQ(d["cluster"], "default");
  EXPECT_EQ(d["engine"], "builtin");
  EXPECT_EQ(d["model"], "Ascend910B3");
  EXPECT_EQ(d["replicas"], 2);
  EXPECT_EQ(d["desired"], 2);
  EXPECT_EQ(d["ready"], 0);
  EXPECT_EQ(d["weight"], 100);
  EXPECT_EQ(d["state"], "active");
  EXPECT_EQ(d["generation"], 1);
  auto model = portal_->Send("GET", "/api/v1/models/" + std::to_string(chat_model_), admin_);
  EXPECT_EQ(d["model_path"], model.body["artifact"]["path"]) << "the model's weights folder";
  EXPECT_TRUE(fs::path(d["model_path"].get<std::string>()).is_absolute());
  const std::string one = Path(s) + "/deployments/" + std::to_string(d["id"].get<int64_t>());
  EXPECT_EQ(LastAudit()["action"], "deployment.create");
  EXPECT_EQ(portal_->Send("GET", Path(s), dev).body["desired"], 2);

  auto scaled = portal_->Send("PATCH", one, dev, {{"replicas", 3}});
  ASSERT_EQ(scaled.status, 200) << scaled.raw;
  EXPECT_EQ(scaled.body["replicas"], 3);
  EXPECT_EQ(scaled.body["generation"], 1);
  // Nine more single-card replicas than the three asked for already: more
  // than the one 8-card node holds.
  auto too_far = portal_->Send("PATCH", one, dev, {{"replicas", 12}});
  EXPECT_EQ(too_far.status, 409) << too_far.raw;
  EXPECT_EQ(too_far.body["error"]["code"], "does_not_fit");
  auto changed = portal_->Send("PATCH", one, dev,
                               {{"args", {"--max-num-seqs", "4"}}, {"env", {{"HAI_TRACE", "1"}}}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["generation"], 2) << "new arguments restart the engines";
  EXPECT_EQ(changed.body["args"], json({"--max-num-seqs", "4"}));
  auto stopped = portal_->Send("PATCH", one, dev, {{"state", "stopped"}});
  ASSERT_EQ(stopped.status, 200);
  EXPECT_EQ(stopped.body["state"], "stopped");
  EXPECT_EQ(stopped.body["desired"], 0);
  EXPECT_EQ(portal_->Send("GET", Path(s), dev).body["desired"], 0);
  EXPECT_EQ(portal_->Send("PATCH", one, dev, {{"state", "deleting"}}).status, 400);
  EXPECT_EQ(portal_->Send("PATCH", one, dev, {{"weight", 101}}).body["error"]["field"], "weight");
  auto started = portal_->Send("PATCH", one, dev, {{"state", "active"}, {"weight", 30}});
  ASSERT_EQ(started.status, 200) << started.raw;
  EXPECT_EQ(started.body["desired"], 3);
  EXPECT_EQ(started.body["weight"], 30);
  json audit = LastAudit();
  EXPECT_EQ(audit["action"], "deployment.update");
  EXPECT_EQ(audit["resource_id"], std::to_string(d["id"].get<int64_t>()));

  auto deleted = portal_->Send("DELETE", one, dev);
  ASSERT_EQ(deleted.status, 202) << deleted.raw;
  EXPECT_EQ(deleted.body["state"], "deleting");
  EXPECT_EQ(portal_->Send("GET", one, dev).body["state"], "deleting");
  EXPECT_EQ(portal_->Send("PATCH", one, dev, {{"replicas", 1}}).status, 409);
  // The controller removes it once its replicas are gone.
  Rows()->FinishDeployment(d["id"].get<int64_t>());
  EXPECT_EQ(portal_->Send("GET", one, dev).status, 404);
}

TEST_F(ServicesApiTest, ADeletedServiceGoesWhenItsDeploymentsAreGone) {
  json bare = MakeService("bare");
  EXPECT_EQ(portal_->Send("DELETE", Path(bare), Token("developer_a")).status, 204);
  EXPECT_EQ(portal_->Send("GET", Path(bare), admin_).status, 404);

  json s = MakeService("going");
  const std::string dev = Token("developer_a");
  auto d = portal_->Send("POST", Path(s) + "/deployments", dev, Deployment(1, 1));
  ASSERT_EQ(d.status, 201) << d.raw;
  auto rows = Rows();
  rows->AddReplica(d.body["id"], "going", cluster::ReplicaPhase::kReady, "node-1");
  // The model is in use: its weights stay.
  auto remove_model =
      portal_->Send("DELETE", "/api/v1/models/" + std::to_string(chat_model_), admin_);
  EXPECT_EQ(remove_model.status, 409) << remove_model.raw;
  EXPECT_NE(remove_model.raw.find("service 'going'"), std::string::npos) << remove_model.raw;

  auto deleted = portal_->Send("DELETE", Path(s), dev);
  ASSERT_EQ(deleted.status, 202) << deleted.raw;
  EXPECT_EQ(deleted.body["state"], "deleting");
  auto dep = portal_->Send("GET", Path(s) + "/deployments", dev);
  ASSERT_EQ(dep.body["total"], 1);
  EXPECT_EQ(dep.body["items"][0]["state"], "deleting");
  EXPECT_EQ(portal_->Send("POST", Path(s) + "/deployments", dev, Deployment()).status, 409);
  EXPECT_EQ(portal_->Send("PATCH", Path(s), dev, {{"description", "x"}}).status, 409);
  EXPECT_EQ(
      portal_->Send("POST", "/api/v1/services", dev, Service("going", chat_model_, org_a_)).status,
      409)
      << "the name is free once the service is gone";
  rows->FinishDeployment(d.body["id"]);
  EXPECT_TRUE(WaitFor([&] { return portal_->Send("GET", Path(s), dev).status == 404; }))
      << "the portal's cleanup removes a deleted service without deployments";
  EXPECT_EQ(
      portal_->Send("POST", "/api/v1/services", dev, Service("going", chat_model_, org_a_)).status,
      201);
}

TEST_F(ServicesApiTest, ReplicasAndEventsAsTheControllerRecordsThem) {
  json s = MakeService("observed");
  const std::string dev = Token("developer_a");
  auto d = portal_->Send("POST", Path(s) + "/deployments", dev, Deployment(1, 2));
  ASSERT_EQ(d.status, 201) << d.raw;
  auto rows = Rows();
  auto ready = rows->AddReplica(d.body["id"], "observed", cluster::ReplicaPhase::kReady, "node-1");
  rows->AddReplica(d.body["id"], "observed", cluster::ReplicaPhase::kStarting, "node-1");
  for (int i = 0; i < 4; ++i)
    rows->AddEvent(ready, 1795342800000 + i, i == 2 ? "Warning" : "Normal",
                   std::vector<std::string>{"Created", "Scheduled", "Crashed", "Ready"}[i],
                   "step " + std::to_string(i));

  auto list = portal_->Send("GET", Path(s) + "/replicas", Token("caller_a"));
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["total"], 2);
  const json& r = list.body["items"][0];
  EXPECT_EQ(r["id"], ready.id);
  EXPECT_EQ(r["name"], "observed-0");
  EXPECT_EQ(r["status"], "Ready");
  EXPECT_EQ(r["cluster"], "default");
  EXPECT_EQ(r["node"], "node-1");
  EXPECT_EQ(r["devices"], json({0}));
  EXPECT_EQ(r["restarts"], 0);
  EXPECT_EQ(r["address"], "http://127.0.0.1:21000");
  EXPECT_EQ(r["deployment_id"], d.body["id"]);
  EXPECT_EQ(list.body["items"][1]["status"], "Starting");

  auto service = portal_->Send("GET", Path(s), dev);
  EXPECT_EQ(service.body["ready"], 1);
  EXPECT_EQ(service.body["online"], true);
  EXPECT_EQ(service.body["deployments"][0]["ready"], 1);
  EXPECT_EQ(service.body["deployments"][0]["online"], true);
  auto listed = portal_->Send("GET", "/api/v1/services?q=observed", dev);
  EXPECT_EQ(listed.body["items"][0]["online"], true);
  EXPECT_EQ(listed.body["items"][0]["desired"], 2);
  EXPECT_EQ(listed.body["items"][0]["ready"], 1);
  const std::string one = Path(s) + "/deployments/" + std::to_string(d.body["id"].get<int64_t>());
  EXPECT_EQ(portal_->Send("PATCH", one, dev, {{"weight", 0}}).body["online"], false)
      << "weight 0 takes no traffic";

  const std::string events = "/api/v1/replicas/" + std::to_string(ready.id) + "/events";
  auto ev = portal_->Send("GET", events + "?limit=3", Token("caller_a"));
  ASSERT_EQ(ev.status, 200) << ev.raw;
  ASSERT_EQ(ev.body["items"].size(), 3u);
  EXPECT_EQ(ev.body["items"][0]["reason"], "Ready") << "newest first";
  EXPECT_EQ(ev.body["items"][1]["type"], "Warning");
  EXPECT_EQ(ev.body["items"][0]["time"], "2026-11-22T10:20:00.003Z");
  EXPECT_EQ(ev.body["items"][0]["message"], "step 3");
  EXPECT_EQ(portal_->Send("GET", events, Token("developer_b")).status, 404);
  EXPECT_EQ(portal_->Send("GET", events + "?limit=0", dev).status, 400);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/replicas/999999/events", dev).status, 404);
}

TEST_F(ServicesApiTest, LogsAndProcessesComeFromTheNodesAgent) {
  json s = MakeService("logged");
  const std::string dev = Token("developer_a");
  auto d = portal_->Send("POST", Path(s) + "/deployments", dev, Deployment(1, 1));
  ASSERT_EQ(d.status, 201) << d.raw;
  auto rows = Rows();
  auto replica =
      rows->AddReplica(d.body["id"], "logged", cluster::ReplicaPhase::kReady, "node-logs");
  auto pending = rows->AddReplica(d.body["id"], "logged", cluster::ReplicaPhase::kPending, "");
  AgentStandIn agent(rig_->token(), replica.WireId());
  json registration = {
      {"node", "node-logs"},
      {"agent_url", "http://127.0.0.1:" + std::to_string(agent.port())},
      {"inventory", {{"cpu_cores", 4}, {"memory_mib", 8192}, {"devices", json::array()}}}};
  ASSERT_EQ(rig_->Post("/internal/v1/nodes/register", registration.dump()), 200);
  const std::string base = "/api/v1/replicas/" + std::to_string(replica.id);

  auto tail = portal_->Send("GET", base + "/logs?tail=2", Token("caller_a"));
  ASSERT_EQ(tail.status, 200) << tail.raw;
  EXPECT_EQ(tail.raw, "line 4\nline 5\n");
  EXPECT_EQ(agent.LastQuery(), "tail=2");
  http::Client raw("127.0.0.1", portal_->port());
  auto download =
      raw.Send("GET", base + "/logs?download=true", "", {{"Authorization", "Bearer " + dev}});
  ASSERT_TRUE(download.ok());
  EXPECT_EQ(download->status, 200);
  EXPECT_EQ(download->body, "line 1\nline 2\nline 3\nline 4\nline 5\n");
  EXPECT_EQ(download->Header("Content-Disposition"), "attachment; filename=\"logged-0.log\"");
  EXPECT_EQ(agent.LastQuery(), "download=true") << "streamed after a one-line probe";

  auto processes = portal_->Send("GET", base + "/processes", dev);
  ASSERT_EQ(processes.status, 200) << processes.raw;
  EXPECT_EQ(processes.body["items"][0]["pid"], 4242);
  EXPECT_EQ(processes.body["items"][0]["rss_bytes"], 1048576);

  // Follow: the lines as they come; when the reader goes, the portal lets
  // go of the agent even though the log has gone quiet.
  std::string seen;
  http::Client follower("127.0.0.1", portal_->port());
  auto followed =
      follower.SendStreaming("GET", base + "/logs?follow=true", "",
                             {{"Authorization", "Bearer " + dev}}, [&](std::string_view data) {
                               seen += data;
                               return seen.find("live 3\n") == std::string::npos;
                             });
  EXPECT_FALSE(followed.ok()) << "the reader hung up";
  EXPECT_EQ(seen, "live 1\nlive 2\nlive 3\n");
  EXPECT_EQ(agent.follows.load(), 1);
  EXPECT_TRUE(WaitFor([&] { return agent.follow_cut.load(); }))
      << "the agent's stream must end once the reader is gone";

  EXPECT_EQ(portal_->Send("GET", base + "/logs", Token("developer_b")).status, 404);
  EXPECT_EQ(portal_->Send("GET", base + "/logs?tail=x", dev).body["error"]["field"], "tail");
  auto unplaced =
      portal_->Send("GET", "/api/v1/replicas/" + std::to_string(pending.id) + "/logs", dev);
  EXPECT_EQ(unplaced.status, 409) << unplaced.raw;
  // A replica its agent does not know: the agent's 404, passed on.
  auto other = rows->AddReplica(d.body["id"], "logged", cluster::ReplicaPhase::kReady, "node-logs");
  auto unknown =
      portal_->Send("GET", "/api/v1/replicas/" + std::to_string(other.id) + "/processes", dev);
  EXPECT_EQ(unknown.status, 404) << unknown.raw;
  auto lost = rows->AddReplica(d.body["id"], "logged", cluster::ReplicaPhase::kReady, "node-gone");
  auto gone = portal_->Send("GET", "/api/v1/replicas/" + std::to_string(lost.id) + "/logs", dev);
  EXPECT_EQ(gone.status, 404) << gone.raw;
  EXPECT_NE(gone.raw.find("node-gone"), std::string::npos);
}

// The portal and a one-node cluster on one database and cluster token, as
// on the control node: the scheduler's deployment controller makes replicas
// of what the portal stores. The admin has organisation "Cardiology" and a
// service "ward-chat" of an imported tiny checkpoint.
class ServicesWithControllerTest : public ::testing::Test {
 protected:
  void Start(bool run_engines) {
    const int port = ClusterRig::FreePort();
    ASSERT_NE(port, 0);
    portal_ = std::make_unique<PortalProcess>(
        Shipped() + "\n[cluster]\nscheduler_url = \"http://127.0.0.1:" + std::to_string(port) +
        "\"\n");
    ASSERT_TRUE(portal_->ok());
    rig_ = std::make_unique<ClusterRig>(ClusterRig::Options{{"ascend-910b3-x8.toml"},
                                                            portal_->data_dir() + "/data",
                                                            port,
                                                            portal_->data_dir() + "/data/cluster-token",
                                                            run_engines});
    ASSERT_TRUE(rig_->ok());
    ASSERT_EQ(rig_->port(), port);
    ASSERT_TRUE(rig_->WaitForReadyNodes(1));

    admin_ = portal_->AdminToken();
    org_ = portal_->CreateOrg(admin_, "Cardiology");
    const std::string model_dir = portal_->data_dir() + "/tiny";
    const std::string cmd =
        BinDir() + "/hai-model init --out " + model_dir +
        " --arch qwen2 --layers 1 --hidden 64 --heads 4 --kv-heads 2 --vocab 512 >/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    auto model = portal_->Send("POST", "/api/v1/models/import", admin_,
                               {{"path", model_dir}, {"name", "tiny-chat"}});
    ASSERT_EQ(model.status, 201) << model.raw;
    auto service =
        portal_->Send("POST", "/api/v1/services", admin_,
                      {{"name", "ward-chat"}, {"model_id", model.body["id"]}, {"org_id", org_}});
    ASSERT_EQ(service.status, 201) << service.raw;
    path_ = "/api/v1/services/" + std::to_string(service.body["id"].get<int64_t>());
  }
  void TearDown() override {
    rig_.reset();
    portal_.reset();
  }
  PortalProcess::Reply Deploy(int64_t devices_per_replica) {
    return portal_->Send("POST", path_ + "/deployments", admin_,
                         {{"engine", "builtin"},
                          {"vendor", "ascend"},
                          {"model", "Ascend910B3"},
                          {"devices_per_replica", devices_per_replica},
                          {"replicas", 1}});
  }

  std::unique_ptr<PortalProcess> portal_;
  std::unique_ptr<ClusterRig> rig_;
  std::string admin_;
  int64_t org_ = 0;
  std::string path_;  // /api/v1/services/<ward-chat's id>
};

// The portal and the scheduler on one database, as installed: the
// deployment controller makes replicas of what the portal stores, and a
// deleted service goes once the controller has let its replicas go.
TEST_F(ServicesWithControllerTest, TheControllerPlacesWhatThePortalStores) {
  ASSERT_NO_FATAL_FAILURE(Start(/*run_engines=*/false));
  PortalProcess& portal = *portal_;
  const std::string& admin = admin_;
  const std::string& path = path_;
  auto d = Deploy(2);
  ASSERT_EQ(d.status, 201) << d.raw;

  json placed;
  ASSERT_TRUE(WaitFor([&] {
    auto r = portal.Send("GET", path + "/replicas", admin);
    if (r.status != 200 || r.body["total"] != 1 || r.body["items"][0]["node"] != "node-1")
      return false;
    placed = r.body["items"][0];
    return true;
  })) << "the controller places the replica";
  EXPECT_EQ(placed["name"], "ward-chat-0");
  EXPECT_EQ(placed["devices"].size(), 2u);
  auto events = portal.Send(
      "GET", "/api/v1/replicas/" + std::to_string(placed["id"].get<int64_t>()) + "/events", admin);
  ASSERT_EQ(events.status, 200) << events.raw;
  std::set<std::string> reasons;
  for (const json& e : events.body["items"]) reasons.insert(e["reason"].get<std::string>());
  EXPECT_TRUE(reasons.count("Created") && reasons.count("Scheduled")) << events.raw;

  // Deleted, and its node's agent stopped: the controller lets the replica
  // go, removes the deployment, and the portal then removes the service.
  ASSERT_EQ(portal.Send("DELETE", path, admin).status, 202);
  rig_->StopAgent(0);
  EXPECT_TRUE(WaitFor([&] { return portal.Send("GET", path, admin).status == 404; }, 600))
      << portal.Send("GET", path + "/replicas", admin).raw;
}

// "Try online": the portal relays one request to a Ready replica of a real
// engine the controller placed; nothing to relay to is a clear 409.
TEST_F(ServicesWithControllerTest, TryIsAnsweredByAReadyReplica) {
  ASSERT_NO_FATAL_FAILURE(Start(/*run_engines=*/true));
  PortalProcess& portal = *portal_;
  const std::string& admin = admin_;
  const std::string& path = path_;
  const int64_t other_org = portal.CreateOrg(admin, "Radiology");
  portal.CreateUser(admin, "stranger", other_org, "developer");
  const json ask = {{"messages", {{{"role", "user"}, {"content", "hello"}}}},
                    {"max_tokens", 4},
                    {"temperature", 0}};

  auto early = portal.Send("POST", path + "/chat/completions", admin, ask);
  EXPECT_EQ(early.status, 409) << early.raw;
  EXPECT_EQ(early.body["error"]["code"], "no_ready_replica");

  auto d = Deploy(1);
  ASSERT_EQ(d.status, 201) << d.raw;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto r = portal.Send("GET", path + "/replicas", admin);
        return r.status == 200 && r.body["total"] == 1 && r.body["items"][0]["status"] == "Ready";
      },
      600))
      << portal.Send("GET", path + "/replicas", admin).raw;

  auto answer = portal.Send("POST", path + "/chat/completions", admin, ask);
  ASSERT_EQ(answer.status, 200) << answer.raw;
  EXPECT_EQ(answer.body["object"], "chat.completion");
  EXPECT_EQ(answer.body["model"], "ward-chat");  // the replica serves the service's name
  EXPECT_EQ(answer.body["usage"]["completion_tokens"], 4);
  auto audit = portal.Send("GET", "/api/v1/audit-events?limit=1", admin);
  EXPECT_EQ(audit.body["items"][0]["action"], "service.try") << audit.raw;

  json streamed = ask;
  streamed["stream"] = true;
  auto refused = portal.Send("POST", path + "/chat/completions", admin, streamed);
  EXPECT_EQ(refused.status, 400) << refused.raw;
  EXPECT_EQ(refused.body["error"]["field"], "stream");
  EXPECT_EQ(portal.Send("POST", path + "/chat/completions", admin, json("text")).status, 400);
  // Another organisation's developer does not see the service at all.
  auto stranger = portal.Login("stranger", PortalProcess::kPassword);
  EXPECT_EQ(portal.Send("POST", path + "/chat/completions", stranger, ask).status, 404);

  ASSERT_EQ(portal.Send("DELETE", path, admin).status, 202);
  EXPECT_TRUE(WaitFor([&] { return portal.Send("GET", path, admin).status == 404; }, 600));
}

}  // namespace
}  // namespace hai::portal::testing
