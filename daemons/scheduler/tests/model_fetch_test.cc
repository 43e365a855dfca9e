// Model weights on nodes other than the control node, end to end: a real
// hai-scheduler serving a checkpoint made by hai-model, two real hai-agent
// processes on loopback and real hai-engine replicas. The deployment's
// model_path names a folder that does not exist on the agents' "nodes", so
// each agent fetches the weights into its cache (node-1 because it is told
// to always fetch, node-2 because the folder is missing), and the engines run
// from there and answer a chat completion.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "daemons/scheduler/tests/control_plane_rig_testing.h"
#include "daemons/scheduler/tests/model_rows_testing.h"
#include "lib/http/client.h"

namespace hai::scheduler {
namespace {

using testing::ReadBytes;

using testing::ControlPlaneRig;
using testing::WaitFor;

struct Replica {
  std::string status, node, address;
  int pid = 0;
};

class ModelFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string model = rig_.dir() + "/models/tiny";
    ASSERT_TRUE(rig_.InitModel(model));
    ASSERT_TRUE(rig_.StartScheduler());
    rig_.StartAgent(0, 25000, "model_fetch = \"always\"\n");
    rig_.StartAgent(1, 25000, "model_fetch = \"auto\"\n");
    db_ = rig_.db();
    files_ = testing::HashFolder(model);
    digest_ = cluster::ModelDigest(files_);
    // The weights as the portal records an import; the service serves them.
    ASSERT_TRUE(testing::InsertModel(db_, 1, "tiny", "models/tiny", files_).ok());
    Exec(
        "INSERT INTO orgs(id, name, created_at, updated_at) VALUES (1, 'icu', 0, 0);"
        "INSERT INTO services(id, org_id, name, model_id, created_at, updated_at) "
        "VALUES (1, 1, 'tiny-chat', 1, 0, 0);");
  }
  void TearDown() override {
    if (HasFailure()) rig_.Keep();
  }

  void Exec(const std::string& sql) { ASSERT_TRUE(rig_.Exec(sql)); }
  std::string Events() { return rig_.EventLog(); }
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

  ControlPlaneRig rig_{"model-fetch-test"};
  std::string digest_;
  std::vector<cluster::ModelFileEntry> files_;
  store::Database* db_ = nullptr;
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
  const std::string cached = rig_.dir() + "/model-cache/1-" + digest_.substr(0, 16);
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
  for (const auto& e : std::filesystem::directory_iterator(rig_.dir() + "/model-cache"))
    EXPECT_NE(e.path().filename().string().rfind(".tmp-", 0), 0u) << e.path();
  // At least one agent downloaded (the other may have found the shared copy
  // complete): the fetch is an event of its replica.
  EXPECT_NE(Events().find("FetchingModel: fetching model 1: 0 of "), std::string::npos) << Events();
}

}  // namespace
}  // namespace hai::scheduler
