#include "daemons/portal/tests/controller_rows.h"

#include <gtest/gtest.h>

#include "daemons/portal/service_deployment_store.h"
#include "lib/store/migrations.h"

namespace hai::portal::testing {

ControllerRows::ControllerRows(const std::string& db_path) {
  auto db = store::Database::Open(db_path, store::ControlPlaneMigrations());
  if (!db.ok()) {
    ADD_FAILURE() << db.status().ToString();
    return;
  }
  db_ = std::move(*db);
  controller_ = std::make_unique<scheduler::DeploymentStore>(db_.get());
}

int64_t ControllerRows::AddDeployment(int64_t service_id, const std::string& model_path) {
  DeploymentRequest r;
  r.engine = "builtin";
  r.vendor = "ascend";
  r.device_model = "Ascend910B3";
  r.devices_per_replica = 1;
  r.replicas = 1;
  int64_t id = 0;
  Status st = db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(Deployment d, deployments::Insert(tx, service_id, r, model_path, 1));
    id = d.id;
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return id;
}

scheduler::ReplicaRow ControllerRows::AddReplica(int64_t deployment_id, const std::string& service,
                                                 cluster::ReplicaPhase phase,
                                                 const std::string& node) {
  scheduler::DeploymentSpec spec;
  spec.id = deployment_id;
  spec.service = service;
  auto row = controller_->AddReplica(spec, 1795342800000);
  EXPECT_TRUE(row.ok()) << row.status().ToString();
  if (!row.ok()) return {};
  row->status = phase;
  row->node = node;
  row->devices = {0};
  row->generation = 1;
  row->address = phase == cluster::ReplicaPhase::kReady ? "http://127.0.0.1:21000" : "";
  row->reason = phase == cluster::ReplicaPhase::kReady ? "Ready" : "Scheduled";
  row->message = "on " + node;
  row->updated_at = 1795342801000;
  EXPECT_TRUE(controller_->UpdateReplica(*row).ok());
  return *row;
}

void ControllerRows::AddEvent(const scheduler::ReplicaRow& replica, int64_t time,
                              const std::string& type, const std::string& reason,
                              const std::string& message) {
  EXPECT_TRUE(controller_->AddEvent(replica, time, type, reason, message).ok());
}

void ControllerRows::FinishDeployment(int64_t deployment_id) {
  auto replicas = controller_->Replicas();
  ASSERT_TRUE(replicas.ok());
  for (const scheduler::ReplicaRow& r : *replicas)
    if (r.deployment_id == deployment_id) {
      ASSERT_TRUE(controller_->DeleteReplica(r.id).ok());
    }
  ASSERT_TRUE(controller_->DeleteDeploymentIfDone(deployment_id).ok());
}

}  // namespace hai::portal::testing
