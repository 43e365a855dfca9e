// The deployment controller with real agents and real hai-engine processes
// on loopback: three simulated Ascend nodes, a deployment of two whole-node
// replicas written into the database as the portal writes it. A killed
// engine is restarted by its agent; a node whose agent dies has its replica
// replaced on the spare node; stopping the deployment stops every engine.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>

#include "daemons/scheduler/tests/control_plane_rig_testing.h"
#include "lib/http/client.h"

namespace hai::scheduler {
namespace {

using testing::ControlPlaneRig;
using testing::WaitFor;

bool Alive(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

struct Replica {
  int64_t id = 0;
  std::string status, node, address, reason;
  int pid = 0, restarts = 0;
};

class DeploymentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = rig_.dir() + "/models/tiny";
    ASSERT_TRUE(rig_.InitModel(model_));
    ASSERT_TRUE(rig_.StartScheduler());
    for (int i = 0; i < 3; ++i) rig_.StartAgent(i, 24000);
    db_ = rig_.db();
    Exec("INSERT INTO orgs(id, name, created_at, updated_at) VALUES (1, 'icu', 0, 0);"
         "INSERT INTO models(id, name, display_name, category, source, created_at, updated_at) "
         "VALUES (1, 'tiny', 'Tiny', 'text-generation', 'demo', 0, 0);"
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
  // A completion through the replica's own address.
  int Complete(const Replica& r) {
    const std::string hostport = r.address.substr(r.address.find("//") + 2);
    http::Client c(hostport.substr(0, hostport.find(':')),
                   std::stoi(hostport.substr(hostport.find(':') + 1)), 20000);
    nlohmann::json body = {{"model", "tiny-chat"}, {"prompt", "hello"}, {"max_tokens", 4}};
    auto res = c.Send("POST", "/v1/completions", body.dump());
    return res.ok() ? res->status : -1;
  }

  ControlPlaneRig rig_{"deployments-test"};
  std::string model_;
  store::Database* db_ = nullptr;
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
  ::kill(rig_.agent(node_index)->pid(), SIGKILL);
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
