// The service, deployment and replica stores on a real database. Replica
// rows and events are written by the scheduler's own DeploymentStore, as the
// deployment controller writes them, and the controller's reading of the
// portal's rows is checked the same way.
#include "daemons/portal/service_store.h"

#include <gtest/gtest.h>

#include "daemons/portal/model_store.h"
#include "daemons/portal/org_store.h"
#include "daemons/portal/service_deployment_store.h"
#include "daemons/portal/service_replica_store.h"
#include "daemons/portal/service_usage.h"
#include "daemons/scheduler/deployment_store.h"
#include "lib/checkpoint/test_dir.h"
#include "lib/store/migrations.h"

namespace hai::portal {
namespace {

using store::Database;

constexpr int64_t kNow = 1795342800000;

class ServiceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.Path("hai.db"), store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    controller_ = scheduler::DeploymentStore(db_.get());
    ASSERT_TRUE(db_->Write([&](Database::Tx& tx) -> Status {
                     HAI_ASSIGN_OR_RETURN(Org a, orgs::Insert(tx, "Cardiology", "", kNow));
                     HAI_ASSIGN_OR_RETURN(Org b, orgs::Insert(tx, "Radiology", "", kNow));
                     org_a_ = a.id;
                     org_b_ = b.id;
                     ModelFacts facts;
                     facts.display_name = "Qwen";
                     HAI_ASSIGN_OR_RETURN(
                         model_,
                         models::Insert(tx, "qwen", facts, ModelSource::kImport, "", false, kNow));
                     HAI_ASSIGN_OR_RETURN(
                         other_model_,
                         models::Insert(tx, "bge", facts, ModelSource::kImport, "", false, kNow));
                     return Status::Ok();
                   })
                    .ok());
  }

  template <typename T, typename F>
  T Must(F&& fn) {
    T out{};
    Status st = db_->Write([&](Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(out, fn(tx));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  ModelService AddService(const std::string& name, int64_t org, int64_t model,
                          const std::string& description = "") {
    services::NewService n{org, name, description, {"chat"}, model, std::nullopt};
    return Must<ModelService>([&](Database::Tx& tx) { return services::Insert(tx, n, kNow); });
  }
  Deployment AddDeployment(int64_t service_id, int64_t replicas = 2, int64_t weight = 100) {
    DeploymentRequest r;
    r.engine = "builtin";
    r.vendor = "ascend";
    r.device_model = "Ascend910B3";
    r.devices_per_replica = 1;
    r.replicas = replicas;
    r.weight = weight;
    r.args = {"--max-num-seqs", "8"};
    r.env = {{"HAI_TRACE", "1"}};
    return Must<Deployment>([&](Database::Tx& tx) {
      return deployments::Insert(tx, service_id, r, "/var/lib/hai/models/1", kNow);
    });
  }
  ModelService Service(int64_t id) {
    return Must<ModelService>([&](Database::Tx& tx) { return services::Get(tx, id); });
  }
  // A replica as the controller makes one: added Pending, then reported.
  scheduler::ReplicaRow AddReplica(const Deployment& d, const std::string& service,
                                   cluster::ReplicaPhase phase, bool stopping = false) {
    scheduler::DeploymentSpec spec;
    spec.id = d.id;
    spec.service = service;
    auto row = controller_.AddReplica(spec, kNow);
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    row->status = phase;
    row->node = "node-1";
    row->devices = {2, 3};
    row->address = "http://127.0.0.1:21000";
    row->restarts = 1;
    row->stopping = stopping;
    row->updated_at = kNow + 5;
    EXPECT_TRUE(controller_.UpdateReplica(*row).ok());
    return *row;
  }

  checkpoint::TestDir dir_;
  std::unique_ptr<Database> db_;
  scheduler::DeploymentStore controller_{nullptr};  // the controller's writes
  int64_t org_a_ = 0, org_b_ = 0, model_ = 0, other_model_ = 0;
};

TEST_F(ServiceStoreTest, StatusCountsReadyReplicasOfActiveDeployments) {
  ModelService s = AddService("triage-chat", org_a_, model_);
  EXPECT_EQ(s.model_name, "qwen");
  EXPECT_EQ(s.org_name, "Cardiology");
  EXPECT_EQ(s.desired, 0);
  EXPECT_FALSE(s.online);
  Deployment d = AddDeployment(s.id, 3);
  EXPECT_EQ(Service(s.id).desired, 3);
  AddReplica(d, s.name, cluster::ReplicaPhase::kStarting);
  EXPECT_EQ(Service(s.id).ready, 0);
  EXPECT_FALSE(Service(s.id).online);
  AddReplica(d, s.name, cluster::ReplicaPhase::kReady);
  AddReplica(d, s.name, cluster::ReplicaPhase::kReady, /*stopping=*/true);
  ModelService now = Service(s.id);
  EXPECT_EQ(now.ready, 1) << "a replica being stopped does not count";
  EXPECT_TRUE(now.online);
  EXPECT_EQ(now.deployments, 1);

  // Weight 0 takes no traffic: not online, though ready.
  DeploymentPatch zero;
  zero.weight = 0;
  Must<Deployment>([&](Database::Tx& tx) { return deployments::Apply(tx, d, zero, kNow + 1); });
  EXPECT_FALSE(Service(s.id).online);
  EXPECT_EQ(Service(s.id).ready, 1);
  DeploymentPatch stop;
  stop.state = DeploymentState::kStopped;
  stop.weight = 100;
  Deployment stopped =
      Must<Deployment>([&](Database::Tx& tx) { return deployments::Apply(tx, d, stop, kNow + 2); });
  EXPECT_EQ(stopped.Desired(), 0);
  EXPECT_FALSE(stopped.Online());
  EXPECT_EQ(Service(s.id).desired, 0);
  EXPECT_FALSE(Service(s.id).online);
}

TEST_F(ServiceStoreTest, NamesAreUniqueWhateverTheCase) {
  AddService("triage-chat", org_a_, model_);
  Status st = db_->Write([&](Database::Tx& tx) {
    return services::Insert(tx, {org_b_, "Triage-Chat", "", {}, model_, std::nullopt}, kNow)
        .status();
  });
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  EXPECT_EQ(st.field(), "name");
}

TEST_F(ServiceStoreTest, ListFiltersAndPages) {
  AddService("alpha", org_a_, model_, "ward assistant");
  AddService("beta", org_a_, other_model_);
  AddService("gamma", org_b_, model_, "night shift");
  auto list = [&](services::Filter f, int64_t limit = 50) {
    ListWindow w;
    w.limit = limit;
    w.order_by = "s.name ASC";
    return Must<Page<ModelService>>([&](Database::Tx& tx) { return services::List(tx, f, w); });
  };
  EXPECT_EQ(list({}).total, 3);
  services::Filter by_org;
  by_org.org_id = org_a_;
  EXPECT_EQ(list(by_org).total, 2);
  services::Filter by_model;
  by_model.model_id = model_;
  EXPECT_EQ(list(by_model).total, 2);
  services::Filter q;
  q.q = "SHIFT";
  auto found = list(q);
  ASSERT_EQ(found.total, 1);
  EXPECT_EQ(found.items[0].name, "gamma");
  services::Filter visible;
  visible.visible_orgs = std::vector<int64_t>{org_b_};
  EXPECT_EQ(list(visible).total, 1);
  visible.visible_orgs = std::vector<int64_t>{};
  EXPECT_EQ(list(visible).total, 0);
  auto page = list({}, 2);
  EXPECT_EQ(page.total, 3);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[1].name, "beta");
}

TEST_F(ServiceStoreTest, NewArgumentsOrEnvironmentBumpTheGeneration) {
  ModelService s = AddService("triage-chat", org_a_, model_);
  Deployment d = AddDeployment(s.id);
  EXPECT_EQ(d.generation, 1);
  EXPECT_EQ(d.spec.args, (std::vector<std::string>{"--max-num-seqs", "8"}));
  DeploymentPatch scale;
  scale.replicas = 5;
  d = Must<Deployment>([&](Database::Tx& tx) { return deployments::Apply(tx, d, scale, kNow); });
  EXPECT_EQ(d.spec.replicas, 5);
  EXPECT_EQ(d.generation, 1) << "scaling restarts nothing";
  DeploymentPatch same;
  same.args = d.spec.args;
  d = Must<Deployment>([&](Database::Tx& tx) { return deployments::Apply(tx, d, same, kNow); });
  EXPECT_EQ(d.generation, 1) << "the same arguments change nothing";
  DeploymentPatch args;
  args.args = std::vector<std::string>{"--max-num-seqs", "16"};
  d = Must<Deployment>([&](Database::Tx& tx) { return deployments::Apply(tx, d, args, kNow); });
  EXPECT_EQ(d.generation, 2);
  DeploymentPatch env;
  env.env = std::map<std::string, std::string>{};
  d = Must<Deployment>([&](Database::Tx& tx) { return deployments::Apply(tx, d, env, kNow); });
  EXPECT_EQ(d.generation, 3);
  EXPECT_TRUE(d.spec.env.empty());
}

TEST_F(ServiceStoreTest, TheControllerReadsWhatThePortalWrote) {
  ModelService s = AddService("triage-chat", org_a_, model_);
  Deployment d = AddDeployment(s.id, 2);
  auto specs = controller_.Deployments();
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  ASSERT_EQ(specs->size(), 1u);
  const scheduler::DeploymentSpec& spec = specs->front();
  EXPECT_EQ(spec.id, d.id);
  EXPECT_EQ(spec.service, "triage-chat");
  EXPECT_EQ(spec.engine, "builtin");
  EXPECT_EQ(spec.vendor, "ascend");
  EXPECT_EQ(spec.device_model, "Ascend910B3");
  EXPECT_EQ(spec.devices_per_replica, 1);
  EXPECT_EQ(spec.replicas, 2);
  EXPECT_EQ(spec.model_path, "/var/lib/hai/models/1");
  EXPECT_EQ(spec.args, d.spec.args);
  EXPECT_EQ(spec.env, d.spec.env);
  EXPECT_TRUE(spec.params.empty());
  EXPECT_EQ(spec.state, "active");
  EXPECT_EQ(spec.generation, 1);
}

TEST_F(ServiceStoreTest, ADeletedServiceGoesOnceItsDeploymentsAreGone) {
  ModelService bare = AddService("bare", org_a_, model_);
  EXPECT_TRUE(Must<bool>([&](Database::Tx& tx) { return services::Delete(tx, bare.id, kNow); }))
      << "nothing runs: removed at once";

  ModelService s = AddService("triage-chat", org_a_, model_);
  Deployment d1 = AddDeployment(s.id);
  Deployment d2 = AddDeployment(s.id);
  AddReplica(d1, s.name, cluster::ReplicaPhase::kReady);
  EXPECT_FALSE(Must<bool>([&](Database::Tx& tx) { return services::Delete(tx, s.id, kNow); }));
  ModelService deleting = Service(s.id);
  EXPECT_TRUE(deleting.deleting);
  auto list = Must<std::vector<Deployment>>(
      [&](Database::Tx& tx) { return deployments::OfService(tx, s.id); });
  for (const Deployment& d : list) EXPECT_EQ(d.state, DeploymentState::kDeleting);
  EXPECT_FALSE(Must<bool>([&](Database::Tx& tx) { return services::Delete(tx, s.id, kNow); }))
      << "deleting again changes nothing";
  Status taken = db_->Write([&](Database::Tx& tx) {
    return services::Insert(tx, {org_a_, "triage-chat", "", {}, model_, std::nullopt}, kNow)
        .status();
  });
  EXPECT_EQ(taken.code(), Code::kAlreadyExists);
  EXPECT_NE(taken.message().find("being deleted"), std::string::npos) << taken.message();

  // The controller's finaliser: the empty deployment goes, the other waits
  // for its replica.
  ASSERT_TRUE(controller_.DeleteDeploymentIfDone(d2.id).ok());
  ASSERT_TRUE(controller_.DeleteDeploymentIfDone(d1.id).ok());
  EXPECT_EQ(Must<int64_t>([&](Database::Tx& tx) { return services::RemoveFinished(tx); }), 0);
  auto replicas = controller_.Replicas();
  ASSERT_TRUE(replicas.ok());
  for (const auto& r : *replicas) ASSERT_TRUE(controller_.DeleteReplica(r.id).ok());
  ASSERT_TRUE(controller_.DeleteDeploymentIfDone(d1.id).ok());
  EXPECT_EQ(Must<int64_t>([&](Database::Tx& tx) { return services::RemoveFinished(tx); }), 1);
  Status gone = db_->Read([&](Database::Tx& tx) { return services::Get(tx, s.id).status(); });
  EXPECT_EQ(gone.code(), Code::kNotFound);
}

TEST_F(ServiceStoreTest, ReplicasAndTheirEvents) {
  ModelService s = AddService("triage-chat", org_a_, model_);
  Deployment d = AddDeployment(s.id);
  Deployment other = AddDeployment(s.id);
  scheduler::ReplicaRow r0 = AddReplica(d, s.name, cluster::ReplicaPhase::kReady);
  AddReplica(other, s.name, cluster::ReplicaPhase::kPending);
  auto all = Must<std::vector<ReplicaInfo>>(
      [&](Database::Tx& tx) { return replicas::OfService(tx, s.id, std::nullopt); });
  ASSERT_EQ(all.size(), 2u);
  const ReplicaInfo& first = all[0];
  EXPECT_EQ(first.id, r0.id);
  EXPECT_EQ(first.name, "triage-chat-0");
  EXPECT_EQ(first.status, "Ready");
  EXPECT_EQ(first.cluster, "default");
  EXPECT_EQ(first.node, "node-1");
  EXPECT_EQ(first.devices, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(first.restarts, 1);
  EXPECT_EQ(first.address, "http://127.0.0.1:21000");
  EXPECT_EQ(first.service_id, s.id);
  EXPECT_EQ(first.WireId(), r0.WireId());
  auto one = Must<std::vector<ReplicaInfo>>(
      [&](Database::Tx& tx) { return replicas::OfService(tx, s.id, other.id); });
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].status, "Pending");

  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(controller_
                    .AddEvent(r0, kNow + i, i == 4 ? "Warning" : "Normal",
                              "Step" + std::to_string(i), "message " + std::to_string(i))
                    .ok());
  auto events = Must<std::vector<ReplicaEventInfo>>(
      [&](Database::Tx& tx) { return replicas::Events(tx, r0.id, 3); });
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].reason, "Step4") << "newest first";
  EXPECT_EQ(events[0].type, "Warning");
  EXPECT_EQ(events[0].time, kNow + 4);
  EXPECT_EQ(events[2].reason, "Step2");

  // A replaced replica's row is gone; its events still lead to its service.
  ASSERT_TRUE(controller_.DeleteReplica(r0.id).ok());
  Status gone = db_->Read([&](Database::Tx& tx) { return replicas::Get(tx, r0.id).status(); });
  EXPECT_EQ(gone.code(), Code::kNotFound);
  auto owner = Must<std::optional<int64_t>>(
      [&](Database::Tx& tx) { return replicas::ServiceOf(tx, r0.id); });
  EXPECT_EQ(owner, s.id);
  auto nobody = Must<std::optional<int64_t>>(
      [&](Database::Tx& tx) { return replicas::ServiceOf(tx, r0.id + 100); });
  EXPECT_FALSE(nobody.has_value());
}

TEST_F(ServiceStoreTest, AModelIsInUseWhileAServiceServesIt) {
  ServiceModelUsage usage;
  auto users = [&](int64_t model) {
    return Must<std::vector<std::string>>(
        [&](Database::Tx& tx) { return usage.UsersOf(tx, model); });
  };
  EXPECT_TRUE(users(model_).empty());
  AddService("triage-chat", org_a_, model_);
  AddService("night-desk", org_b_, model_);
  EXPECT_EQ(users(model_),
            (std::vector<std::string>{"service 'night-desk'", "service 'triage-chat'"}));
  EXPECT_TRUE(users(other_model_).empty());
}

}  // namespace
}  // namespace hai::portal
