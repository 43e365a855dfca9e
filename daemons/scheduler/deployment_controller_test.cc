#include "daemons/scheduler/deployment_controller.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "daemons/scheduler/sqlite_ledger.h"
#include "lib/placement/test_util.h"
#include "lib/store/migrations.h"

namespace hai::scheduler {
namespace {

using cluster::ReplicaPhase;
using placement::testing::AscendNode;

// What the controller asked the agents; the test's side of the AgentLink seam.
struct RecordingAgents : AgentLink {
  struct Call {
    std::string agent_url;
    std::string method;  // assign, remove
    cluster::ReplicaAssignment assignment;
    std::string replica_id;
  };
  std::vector<Call> calls;
  void Assign(const std::string& url, const cluster::ReplicaAssignment& a) override {
    calls.push_back({url, "assign", a, a.replica_id});
  }
  void Remove(const std::string& url, const std::string& id) override {
    calls.push_back({url, "remove", {}, id});
  }
  std::vector<Call> Take() { return std::exchange(calls, {}); }
};

class DeploymentControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hai-controller-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::Database::Open((dir_ / "hai.db").string(), store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ledger_ = std::make_unique<SqliteLedger>(db_.get());
    placer_ = std::make_unique<placement::Placer>(*ledger_);
    ASSERT_TRUE(placer_->Load().ok());
    for (const char* name : {"node-1", "node-2", "node-3"}) {
      placer_->UpsertNode(AscendNode(name));
      nodes_.push_back({name, true, std::string("http://") + name + ":7002", true});
    }
    store_ = std::make_unique<DeploymentStore>(db_.get());
    controller_ = std::make_unique<DeploymentController>(
        store_.get(), placer_.get(), &agents_, [this] { return nodes_; }, &clock_);
    Exec(
        "INSERT INTO orgs(id, name, created_at, updated_at) VALUES (1, 'radiology', 0, 0);"
        "INSERT INTO models(id, name, display_name, category, source, created_at, updated_at) "
        "VALUES (1, 'demo', 'Demo', 'text-generation', 'demo', 0, 0);"
        "INSERT INTO services(id, org_id, name, model_id, created_at, updated_at) "
        "VALUES (1, 1, 'chat', 1, 0, 0);");
  }
  void TearDown() override {
    controller_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Exec(const std::string& sql) {
    ASSERT_TRUE(db_->Write([&](store::Database::Tx& tx) { return tx.Exec(sql); }).ok()) << sql;
  }
  void AddDeployment(int replicas, int devices = 1) {
    Exec("INSERT INTO deployments(id, service_id, engine, vendor, devices_per_replica, replicas, "
         "model_path, args, env, created_at, updated_at) VALUES (1, 1, 'builtin', 'ascend', " +
         std::to_string(devices) + ", " + std::to_string(replicas) +
         ", '/data/models/demo', '[\"--max-num-seqs\",\"8\"]', '{\"A\":\"1\"}', 0, 0)");
  }
  std::vector<ReplicaRow> Rows() {
    auto rows = store_->Replicas();
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<ReplicaRow>{};
  }
  std::vector<std::string> Reasons(const ReplicaRow& r) {
    auto events = store_->Events(r.id, 100);
    std::vector<std::string> out;
    if (events.ok())
      for (auto it = events->rbegin(); it != events->rend(); ++it) out.push_back(it->reason);
    return out;
  }
  void Report(const std::string& node, std::vector<cluster::ReplicaStatus> statuses) {
    ASSERT_TRUE(controller_->OnReport({node, std::move(statuses)}).ok());
  }
  static cluster::ReplicaStatus StatusOf(const ReplicaRow& r, ReplicaPhase phase,
                                         std::string reason, std::string message = "") {
    cluster::ReplicaStatus s;
    s.replica_id = r.WireId();
    s.generation = r.generation;
    s.phase = phase;
    s.reason = std::move(reason);
    s.message = std::move(message);
    s.address = "http://" + r.node + ":21000";
    s.pid = 4242;
    return s;
  }
  size_t Allocations() {
    auto list = ledger_->List();
    return list.ok() ? list->size() : 999;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<SqliteLedger> ledger_;
  std::unique_ptr<placement::Placer> placer_;
  std::unique_ptr<DeploymentStore> store_;
  std::vector<NodeInfo> nodes_;
  RecordingAgents agents_;
  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<DeploymentController> controller_;
};

TEST_F(DeploymentControllerTest, PlacesAndAssignsEachReplica) {
  AddDeployment(2);
  ASSERT_TRUE(controller_->Reconcile().ok());
  const std::vector<ReplicaRow> rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  std::set<int> ordinals;
  for (const ReplicaRow& r : rows) {
    ordinals.insert(r.ordinal);
    EXPECT_EQ(r.status, ReplicaPhase::kPending);
    EXPECT_FALSE(r.node.empty());
    EXPECT_EQ(r.devices.size(), 1u);
    EXPECT_EQ(r.generation, 1);
    EXPECT_EQ(Reasons(r), (std::vector<std::string>{"Created", "Scheduled"}));
  }
  EXPECT_EQ(ordinals, (std::set<int>{0, 1}));
  EXPECT_EQ(rows[0].name, "chat-0");
  EXPECT_EQ(Allocations(), 2u);

  const auto calls = agents_.Take();
  ASSERT_EQ(calls.size(), 2u);
  const cluster::ReplicaAssignment& a = calls[0].assignment;
  EXPECT_EQ(calls[0].method, "assign");
  EXPECT_EQ(calls[0].agent_url, "http://" + rows[0].node + ":7002");
  EXPECT_EQ(a.replica_id, rows[0].WireId());
  EXPECT_EQ(a.service, "chat");
  EXPECT_EQ(a.engine, "builtin");
  EXPECT_EQ(a.model_path, "/data/models/demo");
  EXPECT_EQ(a.vendor, accel::Vendor::kAscend);
  EXPECT_EQ(a.device_ids, rows[0].devices);
  EXPECT_TRUE(a.simulated);
  EXPECT_EQ(a.args, (std::vector<std::string>{"--max-num-seqs", "8"}));
  EXPECT_EQ(a.env.at("A"), "1");

  // A second pass with nothing new changes nothing and sends nothing.
  ASSERT_TRUE(controller_->Reconcile().ok());
  EXPECT_EQ(Rows().size(), 2u);
  EXPECT_TRUE(agents_.Take().empty());
}

// A deployment's cluster keeps its replicas on that cluster's nodes.
TEST_F(DeploymentControllerTest, ReplicasStayInTheDeploymentsCluster) {
  placement::Node icu = AscendNode("node-2");
  icu.labels["cluster"] = "icu";
  placer_->UpsertNode(icu);
  AddDeployment(3);
  Exec("UPDATE deployments SET cluster = 'icu' WHERE id = 1");
  ASSERT_TRUE(controller_->Reconcile().ok());
  const std::vector<ReplicaRow> rows = Rows();
  ASSERT_EQ(rows.size(), 3u);
  for (const ReplicaRow& r : rows) EXPECT_EQ(r.node, "node-2") << r.name;
}

TEST_F(DeploymentControllerTest, FollowsReportsAndNamesEveryTransition) {
  AddDeployment(1);
  ASSERT_TRUE(controller_->Reconcile().ok());
  ReplicaRow r = Rows().at(0);
  Report(r.node, {StatusOf(r, ReplicaPhase::kStarting, "Starting", "pid 4242")});
  Report(r.node, {StatusOf(r, ReplicaPhase::kReady, "Ready", "answering /health")});
  Report(r.node, {StatusOf(r, ReplicaPhase::kReady, "Ready", "answering /health")});  // no change
  auto crashed = StatusOf(r, ReplicaPhase::kFailed, "Crashed", "killed by signal 9");
  Report(r.node, {crashed});
  auto restarted = StatusOf(r, ReplicaPhase::kReady, "Ready", "answering /health");
  restarted.restarts = 1;
  Report(r.node, {restarted});
  r = Rows().at(0);
  EXPECT_EQ(r.status, ReplicaPhase::kReady);
  EXPECT_EQ(r.restarts, 1);
  EXPECT_EQ(r.address, "http://" + r.node + ":21000");
  EXPECT_EQ(Reasons(r), (std::vector<std::string>{"Created", "Scheduled", "Starting", "Ready",
                                                  "Crashed", "Ready"}));
  auto events = store_->Events(r.id, 10);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->at(1).type, "Warning");  // Crashed
  EXPECT_EQ(events->at(1).message, "killed by signal 9");
  EXPECT_EQ(events->at(0).type, "Normal");
}

TEST_F(DeploymentControllerTest, LostNodeIsReplacedElsewhere) {
  AddDeployment(1, 8);  // a whole node per replica
  ASSERT_TRUE(controller_->Reconcile().ok());
  const ReplicaRow first = Rows().at(0);
  agents_.Take();
  // The registry turns the node NotReady; the placer hears it from the
  // registry's observer.
  for (NodeInfo& n : nodes_)
    if (n.name == first.node) n.ready = false;
  ASSERT_TRUE(placer_->SetNodeState(first.node, placement::NodeState::kNotReady).ok());
  ASSERT_TRUE(controller_->Reconcile().ok());
  const std::vector<ReplicaRow> rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].id, first.id);
  EXPECT_NE(rows[0].node, first.node);
  EXPECT_EQ(rows[0].devices.size(), 8u);
  EXPECT_EQ(rows[0].ordinal, 0);  // the lost one's place
  EXPECT_EQ(Reasons(first), (std::vector<std::string>{"Created", "Scheduled", "NodeLost"}));
  EXPECT_EQ(Allocations(), 1u);  // the lost node's devices are free
  const auto calls = agents_.Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].agent_url, "http://" + rows[0].node + ":7002");
}

TEST_F(DeploymentControllerTest, ScalingDownStopsTheNewestAndFreesItsDevices) {
  AddDeployment(2);
  ASSERT_TRUE(controller_->Reconcile().ok());
  agents_.Take();
  Exec("UPDATE deployments SET replicas = 1");
  ASSERT_TRUE(controller_->Reconcile().ok());
  std::vector<ReplicaRow> rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  const ReplicaRow newest = rows[0].ordinal == 1 ? rows[0] : rows[1];
  EXPECT_TRUE(newest.stopping);
  auto calls = agents_.Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "remove");
  EXPECT_EQ(calls[0].replica_id, newest.WireId());

  Report(newest.node, {StatusOf(newest, ReplicaPhase::kStopped, "Stopped", "exited with code 0")});
  rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ordinal, 0);
  EXPECT_EQ(Allocations(), 1u);
  EXPECT_EQ(Reasons(newest).back(), "Stopped");
}

TEST_F(DeploymentControllerTest, UnplaceableReplicaWaitsWithOneEventPerReason) {
  AddDeployment(1, 16);  // no node has 16 cards
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(controller_->Reconcile().ok());
  const ReplicaRow r = Rows().at(0);
  EXPECT_EQ(r.status, ReplicaPhase::kPending);
  EXPECT_TRUE(r.node.empty());
  EXPECT_EQ(r.reason, "FailedScheduling");
  EXPECT_NE(r.message.find("node-1"), std::string::npos) << r.message;
  EXPECT_EQ(Reasons(r), (std::vector<std::string>{"Created", "FailedScheduling"}));
  EXPECT_TRUE(agents_.Take().empty());
  EXPECT_EQ(Allocations(), 0u);

  // Once it fits it is placed.
  Exec("UPDATE deployments SET devices_per_replica = 4");
  ASSERT_TRUE(controller_->Reconcile().ok());
  EXPECT_EQ(Rows().at(0).devices.size(), 4u);
  EXPECT_EQ(agents_.Take().size(), 1u);
}

TEST_F(DeploymentControllerTest, NewGenerationIsSentAgain) {
  AddDeployment(1);
  ASSERT_TRUE(controller_->Reconcile().ok());
  ReplicaRow r = Rows().at(0);
  Report(r.node, {StatusOf(r, ReplicaPhase::kReady, "Ready")});
  agents_.Take();
  Exec("UPDATE deployments SET generation = 2, args = '[\"--max-num-seqs\",\"4\"]'");
  ASSERT_TRUE(controller_->Reconcile().ok());
  auto calls = agents_.Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].assignment.generation, 2);
  EXPECT_EQ(calls[0].assignment.args.back(), "4");
  // The old process's last report does not overwrite the new state.
  Report(r.node, {StatusOf(r, ReplicaPhase::kFailed, "Crashed")});
  EXPECT_EQ(Rows().at(0).status, ReplicaPhase::kReady);
}

TEST_F(DeploymentControllerTest, ReplicaMissingFromItsAgentsReportIsSentAgain) {
  AddDeployment(1);
  ASSERT_TRUE(controller_->Reconcile().ok());
  const ReplicaRow r = Rows().at(0);
  Report(r.node, {StatusOf(r, ReplicaPhase::kReady, "Ready")});
  agents_.Take();
  // Just after: the agent may not have caught up yet, nothing is resent.
  Report(r.node, {});
  EXPECT_TRUE(agents_.Take().empty());
  clock_.AdvanceMs(DeploymentController::kResendMs);
  Report(r.node, {});
  auto calls = agents_.Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].assignment.replica_id, r.WireId());
  EXPECT_EQ(Rows().at(0).status, ReplicaPhase::kPending);
  EXPECT_EQ(Reasons(r).back(), "Reassigned");
}

TEST_F(DeploymentControllerTest, UnknownReplicaOnANodeIsRemoved) {
  Report("node-2", {cluster::ReplicaStatus{"rep-999", 1, ReplicaPhase::kReady}});
  auto calls = agents_.Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "remove");
  EXPECT_EQ(calls[0].replica_id, "rep-999");
  EXPECT_EQ(calls[0].agent_url, "http://node-2:7002");
}

TEST_F(DeploymentControllerTest, DeletedDeploymentGoesOnceItsReplicasAreGone) {
  AddDeployment(1);
  ASSERT_TRUE(controller_->Reconcile().ok());
  const ReplicaRow r = Rows().at(0);
  Exec("UPDATE deployments SET state = 'deleting'");
  ASSERT_TRUE(controller_->Reconcile().ok());
  ASSERT_EQ(Rows().size(), 1u);
  Report(r.node, {});  // the agent no longer runs it
  ASSERT_TRUE(controller_->Reconcile().ok());
  EXPECT_TRUE(Rows().empty());
  auto deployments = store_->Deployments();
  ASSERT_TRUE(deployments.ok());
  EXPECT_TRUE(deployments->empty());
  EXPECT_EQ(Allocations(), 0u);
}

TEST(ReplicaIdTest, WireIdsRoundTrip) {
  ReplicaRow r;
  r.id = 17;
  EXPECT_EQ(r.WireId(), "rep-17");
  EXPECT_EQ(ReplicaIdFromWire("rep-17"), 17);
  EXPECT_EQ(ReplicaIdFromWire("rep-"), 0);
  EXPECT_EQ(ReplicaIdFromWire("rep-1x"), 0);
  EXPECT_EQ(ReplicaIdFromWire("node-1"), 0);
}

}  // namespace
}  // namespace hai::scheduler
