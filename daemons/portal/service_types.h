#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Model services and their deployments as the portal reads and writes them
// (tables of migration 5). Times are epoch milliseconds (UTC).
namespace hai::portal {

// A model service: the name API callers put in `model`, owned by one
// organisation, served by one or more deployments.
struct ModelService {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string name;
  std::string description;
  std::vector<std::string> capabilities;
  int64_t model_id = 0;
  std::string model_name;
  std::optional<int64_t> created_by;
  bool deleting = false;  // deleted; removed once its last deployment is gone
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Status over its deployments.
  int64_t deployments = 0;
  int64_t desired = 0;  // replicas asked of its active deployments
  int64_t ready = 0;    // Ready replicas not being stopped
  bool online = false;  // a Ready replica in an active deployment with weight > 0
};

enum class DeploymentState { kActive, kStopped, kDeleting };
std::string_view DeploymentStateName(DeploymentState s);  // active, stopped, deleting
std::optional<DeploymentState> ParseDeploymentState(std::string_view name);

// What one deployment asks for: where it runs, on what, how many, how.
struct DeploymentRequest {
  std::string cluster = "default";  // a named node group
  std::string engine;               // engine profile name
  std::string vendor;               // accelerator vendor ("ascend", …, "cpu")
  std::string device_model;         // accelerator model ("Ascend910B3"); "" = any of the vendor
  int64_t devices_per_replica = 1;  // 0 only for cpu
  int64_t memory_mib = 0;           // per device; 0 = whole devices
  int64_t replicas = 1;
  std::vector<std::string> args;           // engine arguments, each one argv element
  std::map<std::string, std::string> env;  // on top of the engine profile's
  int64_t weight = 100;                    // traffic share among the service's deployments
};

struct Deployment {
  int64_t id = 0;
  int64_t service_id = 0;
  DeploymentRequest spec;
  std::string model_path;  // absolute weights folder, copied from the model at creation
  DeploymentState state = DeploymentState::kActive;
  int64_t generation = 1;  // bumped by changes that restart the engine
  int64_t ready = 0;       // Ready replicas not being stopped
  int64_t created_at = 0;
  int64_t updated_at = 0;

  int64_t Desired() const { return state == DeploymentState::kActive ? spec.replicas : 0; }
  bool Online() const { return state == DeploymentState::kActive && spec.weight > 0 && ready > 0; }
};

// A PATCH of a deployment; absent fields stay.
struct DeploymentPatch {
  std::optional<int64_t> replicas;
  std::optional<int64_t> weight;
  std::optional<std::vector<std::string>> args;
  std::optional<std::map<std::string, std::string>> env;
  std::optional<DeploymentState> state;  // active or stopped

  bool RestartsEngine() const { return args.has_value() || env.has_value(); }
  std::string FieldNames() const;  // "replicas, args" — for the audit summary
};

// A replica row as the scheduler's deployment controller keeps it.
struct ReplicaInfo {
  int64_t id = 0;
  int64_t deployment_id = 0;
  int64_t service_id = 0;
  std::string name;
  std::string status;  // Pending, Starting, Ready, Failed, Stopped
  std::string cluster;
  std::string node;  // "" until placed
  std::vector<int64_t> devices;
  int64_t generation = 0;
  std::string address;
  int64_t pid = 0;
  int64_t restarts = 0;
  std::string reason;
  std::string message;
  bool stopping = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  // The replica's id on the wire and on its node's agent.
  std::string WireId() const { return "rep-" + std::to_string(id); }
};

struct ReplicaEventInfo {
  int64_t id = 0;
  int64_t replica_id = 0;
  int64_t time = 0;
  std::string type;  // Normal, Warning
  std::string reason;
  std::string message;
};

}  // namespace hai::portal
