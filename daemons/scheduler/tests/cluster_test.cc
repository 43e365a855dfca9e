// Real agents against a real scheduler on loopback: three simulated nodes
// register, heartbeat, go NotReady when killed, and come back after a
// scheduler restart. Bad agent messages are refused and change nothing.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/http/client.h"
#include "lib/proc/child.h"

namespace hai::scheduler {
namespace {

const std::string kBin = HAI_TEST_BIN_DIR;
const std::string kProfiles = std::string(HAI_TEST_SOURCE_DIR) + "/profiles/nodes/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool WaitFor(const std::function<bool()>& done, int seconds = 20) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("hai-cluster-test-" + std::to_string(getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    token_ = RandomToken(32);
    ASSERT_TRUE(WriteSecretFile(dir_ + "/cluster-token", token_).ok());
    StartScheduler();
    const char* profiles[] = {"ascend-910b3-x8.toml", "metax-c500-x8.toml", "hygon-k100-x4.toml"};
    for (int i = 0; i < 3; ++i) {
      std::string cfg = dir_ + "/agent-" + std::to_string(i) + ".toml";
      std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[agent]\nnode_name = \"node-" << i + 1
                         << "\"\nport = 0\nscheduler_url = \"http://127.0.0.1:" << sched_port_
                         << "\"\nheartbeat_interval_ms = 300\ndata_dir = \"" << dir_
                         << "\"\nprofile = \"" << kProfiles << profiles[i] << "\"\n";
      agents_.push_back(std::make_unique<proc::Child>(
          proc::Child::Spawn({{kBin + "/hai-agent", "--config", cfg}}).value()));
    }
  }
  void TearDown() override {
    agents_.clear();
    scheduler_.reset();
    std::filesystem::remove_all(dir_);
  }
  void StartScheduler() {
    std::string cfg = dir_ + "/hai.toml";
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[scheduler]\nport = " << sched_port_
                       << "\nheartbeat_timeout_ms = 1500\ndata_dir = \"" << dir_ << "\"\n";
    std::filesystem::remove(dir_ + "/ready.json");
    scheduler_ = std::make_unique<proc::Child>(
        proc::Child::Spawn({{kBin + "/hai-scheduler", "--config", cfg, "--ready-file",
                             dir_ + "/ready.json"}})
            .value());
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(dir_ + "/ready.json"); }));
    sched_port_ = nlohmann::json::parse(ReadFile(dir_ + "/ready.json"))["port"];
  }
  nlohmann::json Get(const std::string& path) {
    http::Client c("127.0.0.1", sched_port_, 2000);
    auto r = c.Send("GET", path, "", {{"Authorization", "Bearer " + token_}});
    if (!r.ok() || r->status != 200) return nullptr;
    return nlohmann::json::parse(r->body);
  }
  int Post(const std::string& path, const std::string& body, bool auth = true) {
    http::Client c("127.0.0.1", sched_port_, 2000);
    std::vector<std::pair<std::string, std::string>> h;
    if (auth) h.emplace_back("Authorization", "Bearer " + token_);
    auto r = c.Send("POST", path, body, h);
    return r.ok() ? r->status : -1;
  }
  int ReadyNodes() {
    auto j = Get("/internal/v1/nodes?status=Ready");
    return j.is_null() ? -1 : j["total"].get<int>();
  }

  std::string dir_, token_;
  int sched_port_ = 0;
  std::unique_ptr<proc::Child> scheduler_;
  std::vector<std::unique_ptr<proc::Child>> agents_;
};

TEST_F(ClusterTest, ThreeSimulatedNodesRegisterAndReport) {
  ASSERT_TRUE(WaitFor([&] { return ReadyNodes() == 3; })) << ReadyNodes();
  auto accels = Get("/internal/v1/accelerators");
  EXPECT_EQ(accels["total"], 20);  // 8 Ascend + 8 MetaX + 4 Hygon
  for (const auto& a : accels["items"]) EXPECT_EQ(a["simulated"], true);
  auto ascend = Get("/internal/v1/accelerators?vendor=ascend");
  EXPECT_EQ(ascend["total"], 8);
  EXPECT_EQ(ascend["items"][0]["node"], "node-1");
  // Telemetry arrives with heartbeats.
  EXPECT_TRUE(WaitFor([&] {
    auto a = Get("/internal/v1/accelerators?node=node-2");
    return !a.is_null() && a["items"][0]["utilization"].is_number();
  }));
  auto events = Get("/internal/v1/events");
  int registered = 0;
  for (const auto& e : events["items"]) registered += e["kind"] == "node.registered";
  EXPECT_EQ(registered, 3);
}

TEST_F(ClusterTest, AKilledNodeTurnsNotReadyAndARestartedSchedulerRelearnsAll) {
  ASSERT_TRUE(WaitFor([&] { return ReadyNodes() == 3; }));
  kill(agents_[2]->pid(), SIGKILL);  // node-3 loses power
  ASSERT_TRUE(WaitFor([&] { return ReadyNodes() == 2; }));
  auto down = Get("/internal/v1/nodes?status=NotReady");
  ASSERT_EQ(down["total"], 1);
  EXPECT_EQ(down["items"][0]["name"], "node-3");
  scheduler_->Terminate(std::chrono::seconds(5));
  int old_port = sched_port_;
  StartScheduler();  // same port: the agents' configured address
  ASSERT_EQ(sched_port_, old_port);
  EXPECT_TRUE(WaitFor([&] { return ReadyNodes() == 2; })) << "live agents register again";
}

TEST_F(ClusterTest, BadAgentMessagesAreRefusedAndChangeNothing) {
  ASSERT_TRUE(WaitFor([&] { return ReadyNodes() == 3; }));
  EXPECT_EQ(Post("/internal/v1/nodes/register", "{\"node\":\"x\"}", false), 401);
  EXPECT_EQ(Post("/internal/v1/nodes/register", "{not json"), 400);
  EXPECT_EQ(Post("/internal/v1/nodes/register",
                 R"({"node":"node-9","agent_url":"http://x:1","inventory":{"cpu_cores":"many","memory_mib":1}})"),
            400);
  EXPECT_EQ(Post("/internal/v1/nodes/node-1/heartbeat",
                 R"({"node":"node-1","seq":1,"devices":[{"index":99}]})"),
            400);
  EXPECT_EQ(Post("/internal/v1/nodes/node-1/heartbeat", std::string(300 * 1024, ' ')), 413);
  EXPECT_EQ(Post("/internal/v1/nodes/ghost/heartbeat", R"({"node":"ghost","seq":1})"), 404);
  EXPECT_EQ(ReadyNodes(), 3);
  EXPECT_EQ(Get("/internal/v1/accelerators")["total"], 20);
}

}  // namespace
}  // namespace hai::scheduler

namespace hai::scheduler {
namespace {

TEST_F(ClusterTest, PlacementsBindSurviveRestartsAndAreFreedOnNodeLoss) {
  ASSERT_TRUE(WaitFor([&] { return ReadyNodes() == 3; }));
  http::Client c("127.0.0.1", sched_port_, 2000);
  auto post = [&](const std::string& path, const nlohmann::json& body) {
    auto r = c.Send("POST", path, body.dump(), {{"Authorization", "Bearer " + token_}});
    return std::make_pair(r.ok() ? r->status : -1, r.ok() ? nlohmann::json::parse(r->body) : nullptr);
  };
  // A tensor-parallel group of 4 in one HCCS group on the Ascend node.
  auto [s1, dry] = post("/internal/v1/placements/dry-run",
                        {{"vendor", "ascend"}, {"devices_per_replica", 4}, {"topology", "same-group"}});
  ASSERT_EQ(s1, 200) << dry;
  ASSERT_EQ(dry["feasible"], true) << dry;
  EXPECT_EQ(dry["placements"][0]["node"], "node-1");
  EXPECT_EQ(dry["placements"][0]["devices"].size(), 4u);
  EXPECT_TRUE(dry["placements"][0]["env"].contains("ASCEND_RT_VISIBLE_DEVICES")) << dry;
  EXPECT_EQ(dry["placements"][0]["kubernetes_resources"][0], "huawei.com/Ascend910B3") << dry;
  EXPECT_EQ(Get("/internal/v1/placements")["total"], 0) << "a dry run binds nothing";

  auto [s2, impossible] = post("/internal/v1/placements/dry-run",
                               {{"vendor", "ascend"}, {"devices_per_replica", 16}});
  EXPECT_EQ(s2, 200);
  EXPECT_EQ(impossible["feasible"], false);
  EXPECT_FALSE(impossible["reasons"].empty());
  auto [s3, bad] = post("/internal/v1/placements/dry-run", {{"vendor", "acme"}});
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(bad["error"]["field"], "vendor");

  // Two gangs of 4 fill node-1's two groups; a third cannot fit there.
  for (const char* holder : {"svc-a", "svc-b"}) {
    auto [st, d] = post("/internal/v1/placements",
                        {{"holder", holder},
                         {"request", {{"vendor", "ascend"}, {"devices_per_replica", 4},
                                      {"topology", "same-group"}}}});
    EXPECT_EQ(st, 201) << d;
  }
  auto [s4, full] = post("/internal/v1/placements",
                         {{"holder", "svc-c"}, {"request", {{"vendor", "ascend"}, {"devices_per_replica", 1}}}});
  EXPECT_EQ(s4, 409) << full;
  auto held = Get("/internal/v1/accelerators?vendor=ascend");
  for (const auto& a : held["items"]) EXPECT_FALSE(a["held_by"].is_null()) << a;

  // The ledger survives a scheduler restart.
  scheduler_->Terminate(std::chrono::seconds(5));
  StartScheduler();
  ASSERT_TRUE(WaitFor([&] { return ReadyNodes() == 3; }));
  EXPECT_EQ(Get("/internal/v1/placements")["total"], 2);

  // node-1 loses power: its allocations are released and the holders told.
  kill(agents_[0]->pid(), SIGKILL);
  ASSERT_TRUE(WaitFor([&] { return Get("/internal/v1/placements")["total"] == 0; }));
  auto events = Get("/internal/v1/events?limit=50");
  int lost = 0;
  for (const auto& e : events["items"]) lost += e["kind"] == "allocation.lost";
  EXPECT_EQ(lost, 2);
}

}  // namespace
}  // namespace hai::scheduler
