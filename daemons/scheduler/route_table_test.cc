#include "daemons/scheduler/route_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "daemons/scheduler/route_table_routes.h"
#include "lib/cluster/model_manifest.h"
#include "lib/store/migrations.h"

namespace hai::scheduler {
namespace {

using namespace std::chrono_literals;

class RouteTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hai-routes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::Database::Open((dir_ / "hai.db").string(), store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    Exec(
        "INSERT INTO orgs(id, name, created_at, updated_at) VALUES (1, 'radiology', 0, 0);"
        "INSERT INTO orgs(id, name, created_at, updated_at) VALUES (2, 'cardiology', 0, 0);"
        "INSERT INTO models(id, name, display_name, category, source, created_at, updated_at) "
        "VALUES (1, 'demo', 'Demo', 'text-generation', 'demo', 0, 0);"
        "INSERT INTO models(id, name, display_name, category, source, created_at, updated_at) "
        "VALUES (2, 'emb', 'Emb', 'embedding', 'demo', 0, 0);"
        "INSERT INTO services(id, org_id, name, model_id, created_at, updated_at) "
        "VALUES (1, 1, 'chat', 1, 0, 0);"
        "INSERT INTO services(id, org_id, name, model_id, created_at, updated_at) "
        "VALUES (2, 2, 'embed', 2, 0, 0);");
    AddDeployment(10, 1, 90, "active");
    AddDeployment(11, 1, 10, "active");
    AddDeployment(12, 1, 100, "stopped");
    AddReplica(100, 10, 0, "Ready", "http://127.0.0.1:21000", "node-1");
    AddReplica(101, 10, 1, "Starting", "http://127.0.0.1:21001", "node-2");
    AddReplica(102, 10, 2, "Ready", "http://127.0.0.1:21002", "node-3", /*stopping=*/true);
    AddReplica(103, 11, 0, "Ready", "http://127.0.0.1:21003", "node-1");
    AddReplica(104, 12, 0, "Ready", "http://127.0.0.1:21004", "node-1");
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Exec(const std::string& sql) {
    ASSERT_TRUE(db_->Write([&](store::Database::Tx& tx) { return tx.Exec(sql); }).ok()) << sql;
  }
  void AddDeployment(int id, int service, int weight, const std::string& state) {
    Exec(
        "INSERT INTO deployments(id, service_id, engine, vendor, devices_per_replica, replicas, "
        "model_path, weight, state, created_at, updated_at) VALUES (" +
        std::to_string(id) + ", " + std::to_string(service) +
        ", 'builtin', 'ascend', 1, 1, '/m', " + std::to_string(weight) + ", '" + state +
        "', 0, 0)");
  }
  void AddReplica(int id, int deployment, int ordinal, const std::string& status,
                  const std::string& address, const std::string& node, bool stopping = false) {
    Exec(
        "INSERT INTO replicas(id, deployment_id, ordinal, name, status, node, address, stopping, "
        "created_at, updated_at) VALUES (" +
        std::to_string(id) + ", " + std::to_string(deployment) + ", " + std::to_string(ordinal) +
        ", 'r', '" + status + "', '" + node + "', '" + address + "', " + (stopping ? "1" : "0") +
        ", 0, 0)");
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  FakeClock clock_{1'700'000'000'000};
};

TEST_F(RouteTableTest, PublishesOnlyReadyNotStoppingReplicasOfActiveDeployments) {
  auto t = RouteTable::Read(db_.get());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->services.size(), 2u);
  const cluster::RouteService& chat = t->services[0];
  EXPECT_EQ(chat.service_id, 1);
  EXPECT_EQ(chat.name, "chat");
  EXPECT_EQ(chat.org_id, 1);
  EXPECT_EQ(chat.model_category, "text-generation");
  EXPECT_EQ(chat.model_id, 1);
  EXPECT_EQ(chat.model_digest, "") << "no files registered: no digest";
  ASSERT_EQ(chat.deployments.size(), 2u) << "the stopped deployment is left out";
  EXPECT_EQ(chat.deployments[0].id, 10);
  EXPECT_EQ(chat.deployments[0].weight, 90);
  EXPECT_EQ(chat.deployments[0].state, "active");
  ASSERT_EQ(chat.deployments[0].replicas.size(), 1u);
  EXPECT_EQ(chat.deployments[0].replicas[0],
            (cluster::RouteReplica{100, "http://127.0.0.1:21000", "node-1"}));
  EXPECT_EQ(chat.deployments[1].weight, 10);
  ASSERT_EQ(chat.deployments[1].replicas.size(), 1u);
  EXPECT_EQ(chat.deployments[1].replicas[0].id, 103);
  // A service without deployments is still listed: its callers get 503, not 404.
  EXPECT_EQ(t->services[1].name, "embed");
  EXPECT_EQ(t->services[1].model_category, "embedding");
  EXPECT_TRUE(t->services[1].deployments.empty());
}

// The model a service serves and the digest of its files, as the deployment
// controller hands them to the agents; a re-import changes the table.
TEST_F(RouteTableTest, EachServiceNamesItsModelAndTheDigestOfItsFiles) {
  Exec(
      "INSERT INTO model_files(model_id, path, bytes, sha256) VALUES "
      "(1, 'tokenizer.json', 10, '" +
      std::string(64, 'a') +
      "'), "
      "(1, 'model.safetensors', 99, '" +
      std::string(64, 'b') + "')");
  RouteTable table(db_.get(), &clock_);
  ASSERT_TRUE(table.Refresh().ok());
  auto t = table.Current();
  ASSERT_EQ(t->services.size(), 2u);
  const std::string digest =
      cluster::ModelDigest({{"tokenizer.json", 10, std::string(64, 'a')},
                            {"model.safetensors", 99, std::string(64, 'b')}});
  EXPECT_EQ(t->services[0].model_id, 1);
  EXPECT_EQ(t->services[0].model_digest, digest);
  EXPECT_EQ(t->services[1].model_id, 2);
  EXPECT_EQ(t->services[1].model_digest, "");
  const int64_t before = t->version;
  Exec("UPDATE model_files SET bytes = 11 WHERE path = 'tokenizer.json'");
  ASSERT_TRUE(table.Refresh().ok());
  EXPECT_GT(table.Current()->version, before);
  EXPECT_NE(table.Current()->services[0].model_digest, digest);
}

TEST_F(RouteTableTest, DeletingServicesAreLeftOut) {
  Exec("UPDATE services SET deleting = 1 WHERE id = 2");
  auto t = RouteTable::Read(db_.get());
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->services.size(), 1u);
  EXPECT_EQ(t->services[0].name, "chat");
}

TEST_F(RouteTableTest, VersionChangesOnlyWithTheContent) {
  RouteTable table(db_.get(), &clock_);
  EXPECT_EQ(table.Current()->version, 0);
  ASSERT_TRUE(table.Refresh().ok());
  const int64_t first = table.Current()->version;
  EXPECT_EQ(first, clock_.NowMs()) << "versions start at the wall clock";
  clock_.AdvanceMs(500);
  ASSERT_TRUE(table.Refresh().ok());
  EXPECT_EQ(table.Current()->version, first) << "same content, same version";
  Exec("UPDATE deployments SET weight = 0 WHERE id = 11");
  ASSERT_TRUE(table.Refresh().ok());
  EXPECT_GT(table.Current()->version, first);
  EXPECT_EQ(table.Current()->services[0].deployments[1].weight, 0);
  // The clock stepping back never makes a version go back.
  const int64_t second = table.Current()->version;
  clock_.AdvanceMs(-100'000);
  Exec("UPDATE replicas SET status = 'Ready' WHERE id = 101");
  ASSERT_TRUE(table.Refresh().ok());
  EXPECT_EQ(table.Current()->version, second + 1);
}

TEST_F(RouteTableTest, WaitersAreAnsweredAtOnceForAnOldVersionAndWokenByAChange) {
  RouteTable table(db_.get(), &clock_);
  ASSERT_TRUE(table.Refresh().ok());
  const int64_t v = table.Current()->version;
  EXPECT_EQ(table.WaitForChange(v - 1, 60s)->version, v) << "an old version returns at once";
  EXPECT_EQ(table.WaitForChange(v, 1ms)->version, v) << "no change: the wait runs out";

  std::shared_ptr<const cluster::RoutingTable> seen;
  std::thread waiter([&] { seen = table.WaitForChange(v, 60s); });
  Exec("UPDATE replicas SET status = 'Failed' WHERE id = 103");
  clock_.AdvanceMs(1);
  ASSERT_TRUE(table.Refresh().ok());
  waiter.join();
  ASSERT_NE(seen, nullptr);
  EXPECT_NE(seen->version, v);
  EXPECT_TRUE(seen->services[0].deployments[1].replicas.empty());

  std::thread closed([&] { seen = table.WaitForChange(seen->version, 60s); });
  table.Close();
  closed.join();
}

// The route's handler, called the way the server calls it (no sockets).
TEST_F(RouteTableTest, TheRouteNeedsTheTokenAndLongPolls) {
  RouteTable table(db_.get(), &clock_);
  ASSERT_TRUE(table.Refresh().ok());
  http::Router router;
  const std::string token(43, 't');
  AddRouteTableRoutes(&router, &table, token);
  auto get = [&](const std::string& bearer, std::multimap<std::string, std::string> query) {
    http::Request req;
    req.method = "GET";
    req.path = "/internal/v1/routes";
    req.query = std::move(query);
    if (!bearer.empty()) req.headers.emplace("authorization", "Bearer " + bearer);
    const http::Router::Route* route = nullptr;
    EXPECT_EQ(router.Find(req, &route), http::Router::Match::kFound);
    return route->handler(req);
  };
  EXPECT_EQ(get("", {}).status, 401);
  EXPECT_EQ(get("wrong", {}).status, 401);
  auto now = get(token, {});
  ASSERT_EQ(now.status, 200);
  const auto body = nlohmann::json::parse(now.body);
  const int64_t v = body["version"].get<int64_t>();
  EXPECT_EQ(v, table.Current()->version);
  EXPECT_EQ(body["services"][0]["deployments"][0]["replicas"][0]["address"],
            "http://127.0.0.1:21000");
  // An old version: at once, even with a long wait asked for.
  EXPECT_EQ(
      nlohmann::json::parse(
          get(token, {{"version", std::to_string(v - 1)}, {"wait_ms", "60000"}}).body)["version"],
      v);
  // The current one: held for the wait, then answered as it is.
  EXPECT_EQ(nlohmann::json::parse(
                get(token, {{"version", std::to_string(v)}, {"wait_ms", "1"}}).body)["version"],
            v);
  // And woken by a change.
  std::thread change([&] {
    std::this_thread::sleep_for(50ms);
    Exec("UPDATE deployments SET weight = 5 WHERE id = 10");
    clock_.AdvanceMs(1);
    EXPECT_TRUE(table.Refresh().ok());
  });
  auto woken = get(token, {{"version", std::to_string(v)}, {"wait_ms", "60000"}});
  change.join();
  EXPECT_NE(nlohmann::json::parse(woken.body)["version"], v);
  EXPECT_EQ(nlohmann::json::parse(woken.body)["services"][0]["deployments"][0]["weight"], 5);
  for (const char* bad : {"-1", "x", "1.5", ""}) {
    auto r = get(token, {{"wait_ms", bad}});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("wait_ms"), std::string::npos);
  }
  EXPECT_EQ(get(token, {{"version", "abc"}}).status, 400);
}

}  // namespace
}  // namespace hai::scheduler
