#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/cluster/replica_wire.h"
#include "lib/store/database.h"

namespace hai::scheduler {

// A deployment as the controller needs it: the portal's desired state
// (deployments joined with their service's name).
struct DeploymentSpec {
  int64_t id = 0;
  int64_t service_id = 0;
  std::string service;  // served as the model name
  std::string cluster;  // placed only on this cluster's nodes
  std::string engine;
  std::string vendor;
  std::string device_model;
  int devices_per_replica = 0;
  int64_t memory_mib = 0;
  int replicas = 0;
  std::string model_path;
  int64_t model_id = 0;      // the service's model
  std::string model_digest;  // of its files now (cluster::ModelDigest); "" without weights
  std::map<std::string, std::string> params;
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  std::string state;  // active, stopped, deleting
  int64_t generation = 1;
};

// One replica row: what the controller decided and what the agent reported.
struct ReplicaRow {
  int64_t id = 0;
  int64_t deployment_id = 0;
  int ordinal = 0;
  std::string name;  // "<service>-<ordinal>", for people
  cluster::ReplicaPhase status = cluster::ReplicaPhase::kPending;
  std::string node;           // "" until placed
  std::vector<int> devices;
  int64_t generation = 0;     // of the assignment sent; 0 before
  std::string address;
  int pid = 0;
  int restarts = 0;
  std::string reason;
  std::string message;
  bool stopping = false;      // being scaled down or stopped: removed once the agent let go
  int64_t created_at = 0;
  int64_t updated_at = 0;

  // The id on the wire, in the agent's directories and as the placement holder.
  std::string WireId() const { return "rep-" + std::to_string(id); }
};

// "rep-17" → 17; 0 when `wire_id` is not one of ours.
int64_t ReplicaIdFromWire(const std::string& wire_id);

struct ReplicaEvent {
  int64_t id = 0;
  int64_t replica_id = 0;
  int64_t deployment_id = 0;
  int64_t time = 0;
  std::string type;  // Normal, Warning
  std::string reason;
  std::string message;
};

// The controller's view of the deployment tables in the control-plane
// database. Every method is one transaction.
class DeploymentStore {
 public:
  explicit DeploymentStore(store::Database* db) : db_(db) {}

  Result<std::vector<DeploymentSpec>> Deployments() const;
  Result<std::vector<ReplicaRow>> Replicas() const;
  // A new Pending replica with the next free ordinal of its deployment.
  Result<ReplicaRow> AddReplica(const DeploymentSpec& deployment, int64_t now);
  Status UpdateReplica(const ReplicaRow& row);
  Status DeleteReplica(int64_t id);
  // The finaliser: removes a 'deleting' deployment that has no replicas left.
  Status DeleteDeploymentIfDone(int64_t id);
  Status AddEvent(const ReplicaRow& replica, int64_t time, const std::string& type,
                  const std::string& reason, const std::string& message);
  // Newest first, at most `limit`.
  Result<std::vector<ReplicaEvent>> Events(int64_t replica_id, int limit) const;

 private:
  store::Database* db_;
};

}  // namespace hai::scheduler
