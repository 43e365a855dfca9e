// The deployment controller with real agents and real hai-engine processes
// on loopback: three simulated Ascend nodes, a deployment of two whole-node
// replicas written into the database as the portal writes it. A killed
// engine is restarted by its agent; a node whose agent dies has its replica
// replaced on the spare node; stopping the deployment stops every engine.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/http/client.h"
#include "lib/proc/child.h"
#include "lib/store/database.h"
#include "lib/store/migrations.h"

namespace hai::scheduler {
namespace {

const std::string kBin = HAI_TEST_BIN_DIR;
const std::string kSource = HAI_TEST_SOURCE_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool WaitFor(const std::function<bool()>& done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

bool Alive(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

struct Replica {
  int64_t id = 0;
  std::string status, node, address, reason;
  int pid = 0, restarts = 0;
};

class DeploymentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("hai-deployments-test-" + std::to_string(getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string token = RandomToken(32);
    ASSERT_TRUE(WriteSecretFile(dir_ + "/cluster-token", token).ok());
    model_ = dir_ + "/models/tiny";
    proc::Child init = proc::Child::Spawn({{kBin + "/hai-model", "init", "--out", model_,
                                            "--arch", "qwen2", "--layers", "2", "--hidden", "64",
                                            "--heads", "4", "--kv-heads", "2", "--vocab", "512",
                                            "--seed", "7", "--max-position", "160"}})
                           .value();
    std::optional<int> status;
    ASSERT_TRUE(WaitFor([&] { return (status = init.Poll()).has_value(); }, 60));
    ASSERT_EQ(*status, 0);

    const std::string cfg = dir_ + "/hai.toml";
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[scheduler]\nport = 0\n"
                       << "heartbeat_timeout_ms = 2000\ndata_dir = \"" << dir_ << "\"\n";
    scheduler_ = std::make_unique<proc::Child>(
        proc::Child::Spawn({{kBin + "/hai-scheduler", "--config", cfg, "--ready-file",
                             dir_ + "/ready.json"}})
            .value());
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(dir_ + "/ready.json"); }, 30));
    const int port = nlohmann::json::parse(ReadFile(dir_ + "/ready.json"))["port"];
    for (int i = 0; i < 3; ++i) StartAgent(i, port);

    auto db = store::Database::Open(dir_ + "/hai.db", store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    Exec("INSERT INTO orgs(id, name, created_at, updated_at) VALUES (1, 'icu', 0, 0);"
         "INSERT INTO models(id, name, display_name, category, source, created_at, updated_at) "
         "VALUES (1, 'tiny', 'Tiny', 'text-generation', 'demo', 0, 0);"
         "INSERT INTO services(id, org_id, name, model_id, created_at, updated_at) "
         "VALUES (1, 1, 'tiny-chat', 1, 0, 0);");
  }
  void TearDown() override {
    db_.reset();
    agents_.clear();
    scheduler_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void StartAgent(int i, int scheduler_port) {
    const std::string cfg = dir_ + "/agent-" + std::to_string(i) + ".toml";
    const int first = 24000 + 100 * i + static_cast<int>(getpid() % 20) * 5;
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[agent]\nnode_name = \"node-" << i + 1
                       << "\"\nport = 0\nscheduler_url = \"http://127.0.0.1:" << scheduler_port
                       << "\"\nheartbeat_interval_ms = 300\ndata_dir = \"" << dir_
                       << "\"\nprofile = \"" << kSource << "/profiles/nodes/ascend-910b3-x8.toml\""
                       << "\nengine_profiles_dir = \"" << kSource << "/profiles/engines\""
                       << "\nengine_port_first = " << first << "\nengine_port_last = " << first + 4
                       << "\nrestart_backoff_s = 1\nstop_grace_s = 5\n";
    agents_[i] = std::make_unique<proc::Child>(
        proc::Child::Spawn({{kBin + "/hai-agent", "--config", cfg}}).value());
  }

  void Exec(const std::string& sql) {
    ASSERT_TRUE(db_->Write([&](store::Database::Tx& tx) { return tx.Exec(sql); }).ok()) << sql;
  }

  std::vector<Replica> Replicas() {
    std::vector<Replica> out;
    Status st = db_->Read([&](store::Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(store::Statement s,
                           tx.Prepare("SELECT id, status, node, address, reason, pid, restarts "
                                      "FROM replicas ORDER BY ordinal"));
      for (;;) {
        HAI_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4),
                       static_cast<int>(s.Int(5)), static_cast<int>(s.Int(6))});
      }
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  std::vector<Replica> ReadyReplicas() {
    std::vector<Replica> ready;
    for (const Replica& r : Replicas())
      if (r.status == "Ready") ready.push_back(r);
    return ready;
  }
  std::string Events() {
    std::string out;
    (void)db_->Read([&](store::Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(store::Statement s,
                           tx.Prepare("SELECT replica_id, reason, message FROM replica_events "
                                      "ORDER BY id"));
      for (;;) {
        HAI_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        out += "rep-" + std::to_string(s.Int(0)) + " " + s.Text(1) + ": " + s.Text(2) + "\n";
      }
      return Status::Ok();
    });
    return out;
  }
  // A completion through the replica's own address.
  int Complete(const Replica& r) {
    const std::string hostport = r.address.substr(r.address.find("//") + 2);
    http::Client c(hostport.substr(0, hostport.find(':')),
                   std::stoi(hostport.substr(hostport.find(':') + 1)), 20000);
    nlohmann::json body = {{"model", "tiny-chat"}, {"prompt", "hello"}, {"max_tokens", 4}};
    auto res = c.Send("POST", "/v1/completions", body.dump());
    return res.ok() ? res->status : -1;
  }

  std::string dir_, model_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<proc::Child> scheduler_;
  std::map<int, std::unique_ptr<proc::Child>> agents_;
};

TEST_F(DeploymentsTest, ReplicasRunRecoverAndMove) {
  // One replica per node (8 of 8 cards), so the third node is the spare.
  Exec("INSERT INTO deployments(id, service_id, engine, vendor, devices_per_replica, replicas, "
       "model_path, args, created_at, updated_at) VALUES (1, 1, 'builtin', 'ascend', 8, 2, '" +
       model_ + "', '[\"--max-num-seqs\",\"4\"]', 0, 0)");
  ASSERT_TRUE(WaitFor([&] { return ReadyReplicas().size() == 2; }, 120)) << Events();
  std::vector<Replica> ready = ReadyReplicas();
  EXPECT_NE(ready[0].node, ready[1].node);
  for (const Replica& r : ready) EXPECT_EQ(Complete(r), 200) << r.address;

  // An engine killed: its agent restarts it in place.
  const Replica victim = ready[0];
  ASSERT_TRUE(Alive(victim.pid));
  ::kill(victim.pid, SIGKILL);
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const Replica& r : ReadyReplicas())
          if (r.id == victim.id && r.restarts >= 1 && r.pid != victim.pid) return true;
        return false;
      },
      120))
      << Events();
  EXPECT_NE(Events().find("rep-" + std::to_string(victim.id) + " Crashed"), std::string::npos)
      << Events();

  // A node lost: the agent of the second replica's node dies; its engine dies
  // with it and the replica comes back on the spare node.
  ready = ReadyReplicas();
  ASSERT_EQ(ready.size(), 2u);
  const Replica moved = ready[1];
  const int node_index = moved.node.back() - '1';
  ::kill(agents_[node_index]->pid(), SIGKILL);
  ASSERT_TRUE(WaitFor([&] { return !Alive(moved.pid); }, 30)) << "engine outlived its agent";
  std::set<std::string> used = {ready[0].node, moved.node};
  ASSERT_TRUE(WaitFor(
      [&] {
        std::vector<Replica> now = ReadyReplicas();
        return now.size() == 2 && used.count(now[0].node) + used.count(now[1].node) == 1;
      },
      120))
      << Events();
  EXPECT_NE(Events().find("NodeLost"), std::string::npos) << Events();
  for (const Replica& r : ReadyReplicas()) EXPECT_EQ(Complete(r), 200) << r.address;

  // Stopped: every replica goes, with its process.
  std::vector<int> pids;
  for (const Replica& r : ReadyReplicas()) pids.push_back(r.pid);
  Exec("UPDATE deployments SET state = 'stopped'");
  ASSERT_TRUE(WaitFor([&] { return Replicas().empty(); }, 60)) << Events();
  for (int pid : pids) EXPECT_TRUE(WaitFor([&] { return !Alive(pid); }, 10)) << pid;
}

}  // namespace
}  // namespace hai::scheduler
