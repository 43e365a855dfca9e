#pragma once

#include <memory>
#include <string>

#include "daemons/scheduler/deployment_store.h"
#include "lib/store/database.h"

namespace hai::portal::testing {

// Rows in a running portal's database written the way their owners write
// them, for tests where no deployment controller runs: replicas and their
// events with hai-scheduler's own DeploymentStore, and a deployment with the
// portal's store as POST .../deployments stores one (without asking a
// scheduler whether it fits).
class ControllerRows {
 public:
  explicit ControllerRows(const std::string& db_path);

  bool ok() const { return db_ != nullptr; }
  int64_t AddDeployment(int64_t service_id, const std::string& model_path);
  // A replica on `node` in `phase`, as the controller records it after the
  // agent's report.
  scheduler::ReplicaRow AddReplica(int64_t deployment_id, const std::string& service,
                                   cluster::ReplicaPhase phase, const std::string& node);
  void AddEvent(const scheduler::ReplicaRow& replica, int64_t time, const std::string& type,
                const std::string& reason, const std::string& message);
  // The controller's finaliser for a deleted deployment, after its replicas.
  void FinishDeployment(int64_t deployment_id);
  scheduler::DeploymentStore& controller() { return *controller_; }

 private:
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<scheduler::DeploymentStore> controller_;
};

}  // namespace hai::portal::testing
