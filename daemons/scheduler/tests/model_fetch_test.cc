// Model weights on nodes other than the control node, end to end: a real
// hai-scheduler serving a checkpoint made by hai-model, two real hai-agent
// processes on loopback and real hai-engine replicas. The deployment's
// model_path names a folder that does not exist on the agents' "nodes", so
// each agent fetches the weights into its cache (node-1 because it is told
// to always fetch, node-2 because the folder is missing), and the engines run
// from there and answer a chat completion.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "daemons/scheduler/tests/model_rows_testing.h"
#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/http/client.h"
#include "lib/proc/child.h"
#include "lib/store/database.h"
#include "lib/store/migrations.h"

namespace hai::scheduler {
namespace {

using testing::ReadBytes;

const std::string kBin = HAI_TEST_BIN_DIR;
const std::string kSource = HAI_TEST_SOURCE_DIR;

bool WaitFor(const std::function<bool()>& done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

struct Replica {
  std::string status, node, address;
  int pid = 0;
};

class ModelFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("hai-model-fetch-test-" + std::to_string(getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/models");
    ASSERT_TRUE(WriteSecretFile(dir_ + "/cluster-token", RandomToken(32)).ok());
    const std::string model = dir_ + "/models/tiny";
    proc::Child init =
        proc::Child::Spawn({{kBin + "/hai-model", "init", "--out",    model, "--arch",  "qwen2",
                             "--layers",          "2",    "--hidden", "64",  "--heads", "4",
                             "--kv-heads",        "2",    "--vocab",  "512", "--seed",  "7",
                             "--max-position",    "160"}})
            .value();
    std::optional<int> status;
    ASSERT_TRUE(WaitFor([&] { return (status = init.Poll()).has_value(); }, 60));
    ASSERT_EQ(*status, 0);

    const std::string cfg = dir_ + "/hai.toml";
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[scheduler]\nport = 0\n"
                       << "heartbeat_timeout_ms = 2000\ndata_dir = \"" << dir_ << "\"\n";
    scheduler_ =
        std::make_unique<proc::Child>(proc::Child::Spawn({{kBin + "/hai-scheduler", "--config", cfg,
                                                           "--ready-file", dir_ + "/ready.json"}})
                                          .value());
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(dir_ + "/ready.json"); }, 30));
    const int port = nlohmann::json::parse(ReadBytes(dir_ + "/ready.json"))["port"];
    StartAgent(0, port, "always");
    StartAgent(1, port, "auto");

    auto db = store::Database::Open(dir_ + "/hai.db", store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    files_ = testing::HashFolder(model);
    digest_ = cluster::ModelDigest(files_);
    // The weights as the portal records an import; the service serves them.
    ASSERT_TRUE(testing::InsertModel(db_.get(), 1, "tiny", "models/tiny", files_).ok());
    Exec(
        "INSERT INTO orgs(id, name, created_at, updated_at) VALUES (1, 'icu', 0, 0);"
        "INSERT INTO services(id, org_id, name, model_id, created_at, updated_at) "
        "VALUES (1, 1, 'tiny-chat', 1, 0, 0);");
  }
  void TearDown() override {
    db_.reset();
    agents_.clear();
    scheduler_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void StartAgent(int i, int scheduler_port, const std::string& fetch) {
    const std::string cfg = dir_ + "/agent-" + std::to_string(i) + ".toml";
    const int first = 25000 + 100 * i + static_cast<int>(getpid() % 20) * 5;
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[agent]\nnode_name = \"node-" << i + 1
                       << "\"\nport = 0\nscheduler_url = \"http://127.0.0.1:" << scheduler_port
                       << "\"\nheartbeat_interval_ms = 300\ndata_dir = \"" << dir_
                       << "\"\nprofile = \"" << kSource << "/profiles/nodes/ascend-910b3-x8.toml\""
                       << "\nengine_profiles_dir = \"" << kSource << "/profiles/engines\""
                       << "\nengine_port_first = " << first << "\nengine_port_last = " << first + 4
                       << "\nrestart_backoff_s = 1\nstop_grace_s = 5\nmodel_fetch = \"" << fetch
                       << "\"\n";
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
                           tx.Prepare("SELECT status, node, address, pid FROM replicas "
                                      "ORDER BY ordinal"));
      for (;;) {
        HAI_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        out.push_back({s.Text(0), s.Text(1), s.Text(2), static_cast<int>(s.Int(3))});
      }
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
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
  // The engine's command line, arguments joined by spaces.
  static std::string CommandLine(int pid) {
    std::string raw = ReadBytes("/proc/" + std::to_string(pid) + "/cmdline");
    for (char& c : raw)
      if (c == '\0') c = ' ';
    return raw;
  }
  static int Chat(const Replica& r) {
    const std::string hostport = r.address.substr(r.address.find("//") + 2);
    http::Client c(hostport.substr(0, hostport.find(':')),
                   std::stoi(hostport.substr(hostport.find(':') + 1)), 30000);
    nlohmann::json body = {{"model", "tiny-chat"},
                           {"messages", {{{"role", "user"}, {"content", "hello"}}}},
                           {"max_tokens", 4}};
    auto res = c.Send("POST", "/v1/chat/completions", body.dump());
    return res.ok() ? res->status : -1;
  }

  std::string dir_, digest_;
  std::vector<cluster::ModelFileEntry> files_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<proc::Child> scheduler_;
  std::map<int, std::unique_ptr<proc::Child>> agents_;
};

TEST_F(ModelFetchTest, AgentsRunReplicasFromTheirFetchedCopy) {
  // One replica per node (8 of 8 cards); the folder exists only on the
  // control node, under another name than the deployment says.
  Exec(
      "INSERT INTO deployments(id, service_id, engine, vendor, devices_per_replica, replicas, "
      "model_path, created_at, updated_at) VALUES (1, 1, 'builtin', 'ascend', 8, 2, "
      "'/nonexistent/control-node/models/tiny', 0, 0)");
  auto ready = [&] {
    std::vector<Replica> all = Replicas();
    return all.size() == 2 && all[0].status == "Ready" && all[1].status == "Ready";
  };
  ASSERT_TRUE(WaitFor(ready, 180)) << Events();
  const std::string cached = dir_ + "/model-cache/1-" + digest_.substr(0, 16);
  std::set<std::string> nodes;
  for (const Replica& r : Replicas()) {
    nodes.insert(r.node);
    EXPECT_NE(CommandLine(r.pid).find("--model " + cached + " "), std::string::npos)
        << r.node << ": " << CommandLine(r.pid);
    EXPECT_EQ(Chat(r), 200) << r.address;
  }
  EXPECT_EQ(nodes, (std::set<std::string>{"node-1", "node-2"}));
  // The copy is whole and vouched for by its marker; nothing temporary is left.
  for (const cluster::ModelFileEntry& f : files_)
    EXPECT_EQ(Sha256Hex(ReadBytes(cached + "/" + f.path)), f.sha256) << f.path;
  auto marker = nlohmann::json::parse(ReadBytes(cached + "/.hai-model-complete"));
  EXPECT_EQ(marker["digest"], digest_);
  for (const auto& e : std::filesystem::directory_iterator(dir_ + "/model-cache"))
    EXPECT_NE(e.path().filename().string().rfind(".tmp-", 0), 0u) << e.path();
  // At least one agent downloaded (the other may have found the shared copy
  // complete): the fetch is an event of its replica.
  EXPECT_NE(Events().find("FetchingModel: fetching model 1: 0 of "), std::string::npos) << Events();
}

}  // namespace
}  // namespace hai::scheduler
