// The cluster the gateway's black-box tests run against: a real portal
// (keys, call logs), scheduler (routing table), agent and hai-engine
// replicas, and a hai-gateway process between callers and engines; with the
// helpers the tests share.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "daemons/gateway/tests/gateway_rig.h"
#include "daemons/portal/tests/cluster_rig.h"
#include "daemons/portal/tests/portal_process.h"
#include "lib/store/database.h"
#include "lib/store/migrations.h"

namespace hai::gateway::testing {

using namespace std::chrono_literals;
using nlohmann::json;
using portal::testing::BinDir;
using portal::testing::ClusterRig;
using portal::testing::PortalProcess;
using portal::testing::SourceDir;

inline bool WaitFor(const std::function<bool()>& done, int tries = 600) {
  for (int i = 0; i < tries; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done();
}

// The parts of an engine's answer that differ between two identical
// requests: the completion id and the creation second.
inline std::string Normalise(const std::string& text) {
  static const std::regex id(R"re("id":"(chatcmpl|cmpl)-[A-Za-z0-9_-]+")re");
  static const std::regex created(R"re("created":[0-9]+)re");
  return std::regex_replace(std::regex_replace(text, id, R"("id":"*")"), created, R"("created":0)");
}

inline std::string Chat(const std::string& model, bool stream = false, int max_tokens = 8) {
  json body = {{"model", model},
               {"messages", {{{"role", "user"}, {"content", "hello, ward seven"}}}},
               {"max_tokens", max_tokens},
               {"temperature", 0}};
  if (stream) body["stream"] = true;
  return body.dump();
}

class GatewayClusterTest : public ::testing::Test {
 protected:
  // A fixture whose portal and gateway serve HTTPS (and call each other over
  // it) returns their certificate here.
  virtual const GatewayProcess::Tls* Tls() const { return nullptr; }

  void SetUp() override {
    const int port = ClusterRig::FreePort();
    ASSERT_NE(port, 0);
    const GatewayProcess::Tls* tls = Tls();
    std::string portal_config = "catalog_dir = \"" + SourceDir() +
                                "/profiles/catalog\"\nengine_profiles_dir = \"" + SourceDir() +
                                "/profiles/engines\"\n";
    // With TLS the portal's playground reaches the gateway at a port chosen
    // now, over HTTPS.
    const int gateway_port = tls ? ClusterRig::FreePort() : 0;
    if (tls)
      portal_config +=
          "tls_cert_file = \"" + tls->cert_file + "\"\ntls_key_file = \"" + tls->key_file +
          "\"\ngateway_url = \"https://127.0.0.1:" + std::to_string(gateway_port) + "\"\n";
    portal_config +=
        "[cluster]\nscheduler_url = \"http://127.0.0.1:" + std::to_string(port) + "\"\n";
    if (tls) portal_config += "ca_file = \"" + tls->ca_file + "\"\n";
    portal_ = std::make_unique<PortalProcess>(portal_config, tls ? tls->ca_file : "");
    ASSERT_TRUE(portal_->ok());
    token_file_ = portal_->data_dir() + "/data/cluster-token";
    rig_ = std::make_unique<ClusterRig>(ClusterRig::Options{
        {"ascend-910b3-x8.toml"}, portal_->data_dir() + "/data", port, token_file_, true});
    ASSERT_TRUE(rig_->ok());
    ASSERT_TRUE(rig_->WaitForReadyNodes(1));
    gateway_ = std::make_unique<GatewayProcess>(portal_->port(), rig_->port(), token_file_, tls,
                                                gateway_port);
    ASSERT_TRUE(gateway_->ok());
    ASSERT_TRUE(gateway_->WaitHealthy());

    admin_ = portal_->AdminToken();
    ward_ = portal_->CreateOrg(admin_, "Cardiology");
    lab_ = portal_->CreateOrg(admin_, "Radiology");
    ward_dev_id_ = portal_->CreateUser(admin_, "ward-dev", ward_, "developer");
    portal_->CreateUser(admin_, "lab-dev", lab_, "developer");
    ward_dev_ = portal_->Login("ward-dev", PortalProcess::kPassword);
    lab_dev_ = portal_->Login("lab-dev", PortalProcess::kPassword);
    const std::string dir = portal_->data_dir() + "/tiny";
    const std::string cmd = BinDir() + "/hai-model init --out " + dir +
                            " --arch qwen2 --layers 1 --hidden 64 --heads 4 --kv-heads 2"
                            " --vocab 512 >/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    auto model = portal_->Send("POST", "/api/v1/models/import", admin_,
                               {{"path", dir}, {"name", "tiny-chat"}});
    ASSERT_EQ(model.status, 201) << model.raw;
    model_id_ = model.body["id"].get<int64_t>();
  }

  int64_t CreateService(const std::string& name, int64_t org) {
    auto s = portal_->Send("POST", "/api/v1/services", admin_,
                           {{"name", name}, {"model_id", model_id_}, {"org_id", org}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return s.status == 201 ? s.body["id"].get<int64_t>() : 0;
  }
  int64_t Deploy(int64_t service, int replicas) {
    auto d = portal_->Send("POST", ServicePath(service) + "/deployments", admin_,
                           {{"engine", "builtin"},
                            {"vendor", "ascend"},
                            {"model", "Ascend910B3"},
                            {"devices_per_replica", 1},
                            {"replicas", replicas}});
    EXPECT_EQ(d.status, 201) << d.raw;
    return d.status == 201 ? d.body["id"].get<int64_t>() : 0;
  }
  static std::string ServicePath(int64_t id) { return "/api/v1/services/" + std::to_string(id); }
  json Replicas(int64_t service) {
    auto r = portal_->Send("GET", ServicePath(service) + "/replicas", admin_);
    return r.status == 200 ? r.body["items"] : json::array();
  }
  bool WaitReady(int64_t service, size_t n) {
    return WaitFor([&] {
      size_t ready = 0;
      for (const auto& r : Replicas(service)) ready += r["status"] == "Ready";
      return ready == n;
    });
  }
  // `extra` fields go into the request as they are (rpm_limit …).
  std::string MakeKey(const std::string& user_token, int64_t org,
                      const std::vector<std::string>& scopes,
                      std::optional<std::vector<std::string>> allowed = std::nullopt,
                      int64_t* id = nullptr, const json& extra = json::object()) {
    json body = {{"org_id", org}, {"name", "test key"}, {"scopes", scopes}};
    if (allowed) body["allowed_services"] = *allowed;
    body.update(extra);
    auto made = portal_->Send("POST", "/api/v1/api-keys", user_token, body);
    EXPECT_EQ(made.status, 201) << made.raw;
    if (made.status != 201) return "";
    if (id) *id = made.body["id"].get<int64_t>();
    return made.body["key"].get<std::string>();
  }
  // Until the gateway's routing table has the service's replicas: the
  // deployments answering, by X-Hai-Deployment, over a few requests.
  bool WaitServed(const std::string& key, const std::string& model, size_t deployments = 1,
                  size_t replicas = 1) {
    std::set<std::string> seen_deployments, seen_replicas;
    return WaitFor([&] {
      auto r = gateway_->Post(key, "/v1/chat/completions", Chat(model, false, 1));
      if (r.status != 200) return false;
      seen_deployments.insert(r.raw.Header("X-Hai-Deployment"));
      seen_replicas.insert(r.raw.Header("X-Hai-Replica"));
      return seen_deployments.size() >= deployments && seen_replicas.size() >= replicas;
    });
  }
  // Through the portal's API, as an operator shifts traffic; returns once
  // the gateway has a routing table newer than the one before the change.
  void SetWeight(int64_t service, int64_t deployment, int weight) {
    const double before = TableVersion();
    auto r = portal_->Send("PATCH", ServicePath(service) + "/deployments/" + std::to_string(deployment),
                           admin_, {{"weight", weight}});
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_TRUE(WaitFor([&] { return TableVersion() != before; })) << "no new routing table";
  }
  // The call-log rows of one request, once at least one has arrived (the
  // gateway sends every 100 ms; bounded wait).
  json Rows(const std::string& request_id) {
    json rows = json::array();
    WaitFor([&] {
      auto r = portal_->Send("GET", "/api/v1/call-logs?request_id=" + request_id, admin_);
      if (r.status != 200) return false;
      rows = r.body["items"];
      return !rows.empty();
    });
    return rows;
  }
  // hai_gateway_routing_table_version from the gateway's /metrics.
  double TableVersion() {
    const std::string text = gateway_->Get("", "/metrics").body;
    const std::string name = "hai_gateway_routing_table_version ";
    size_t at = text.find("\n" + name);
    return at == std::string::npos ? -1 : std::atof(text.c_str() + at + 1 + name.size());
  }

  std::unique_ptr<PortalProcess> portal_;
  std::unique_ptr<ClusterRig> rig_;
  std::unique_ptr<GatewayProcess> gateway_;
  std::string token_file_, admin_, ward_dev_, lab_dev_;
  int64_t ward_ = 0, lab_ = 0, model_id_ = 0, ward_dev_id_ = 0;
};

}  // namespace hai::gateway::testing
