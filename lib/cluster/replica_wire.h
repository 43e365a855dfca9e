#pragma once

// Messages between the deployment controller (hai-scheduler) and the process
// runner (hai-agent) about engine replicas. Both directions are
// level-triggered: the scheduler (re)sends the assignment of every replica a
// node should run, and the agent reports the state of every replica it runs,
// after each change and with every heartbeat, so a lost message or a
// restarted daemon is corrected by the next one.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::cluster {

// What the scheduler asks an agent to run: one replica of a deployment, on
// devices the scheduler has bound to it. PUT /internal/v1/replicas/{id} on the
// agent; sending the same assignment again changes nothing, a higher
// `generation` replaces the running process.
struct ReplicaAssignment {
  std::string replica_id;     // "rep-…": unique in the cluster, [a-z0-9-], ≤ 63
  std::string deployment_id;
  std::string service;        // the service's name, served as the model name
  std::string engine;         // engine profile name (profiles/engines/<engine>.toml)
  std::string model_path;     // absolute, on the control node (and on a node that shares it)
  // The model whose weights model_path holds, for an agent that has to fetch
  // them (GET /internal/v1/models/{id}/manifest on the scheduler). 0: not
  // known, no fetch possible. model_digest: the manifest's digest when the
  // assignment was made ("" when not known), so a cached copy can be found
  // without asking the scheduler.
  int64_t model_id = 0;
  std::string model_digest;
  accel::Vendor vendor = accel::Vendor::kCpu;
  std::vector<int> device_ids;  // physical indices the placement bound
  bool simulated = false;       // devices from a hardware profile: the engine runs on the CPU
  int tp = 0;                   // 0: one rank per device
  std::map<std::string, std::string> params;  // values for the profile's [params]
  std::vector<std::string> args;              // the deployment's engine arguments
  std::map<std::string, std::string> env;     // the deployment's environment
  int64_t generation = 1;
};

// Where a replica is in its life (the names the portal shows).
enum class ReplicaPhase { kPending, kStarting, kReady, kFailed, kStopped };
std::string_view ReplicaPhaseName(ReplicaPhase phase);  // "Pending", "Starting", …
std::optional<ReplicaPhase> ParseReplicaPhase(std::string_view name);

// One replica as its agent sees it.
struct ReplicaStatus {
  std::string replica_id;
  int64_t generation = 0;      // of the assignment this state belongs to
  ReplicaPhase phase = ReplicaPhase::kPending;
  // The event word of the last transition: Starting, Ready, Unhealthy,
  // Crashed, BackOff, Restarted, Stopped, FailedToStart (bad profile or
  // arguments: no retry until a new generation).
  std::string reason;
  std::string message;         // for people: "exited with code 1", "killed by signal 9", …
  int pid = 0;                 // 0 when no process runs
  int port = 0;                // the engine's port on the node; 0 before it is chosen
  std::string address;         // "http://host:port" callers use; "" before Starting
  int restarts = 0;            // process restarts of this generation
  std::optional<int> exit_code;  // of the last exit
  std::optional<int> signal;     // when the last exit was a signal
  int64_t since_ms = 0;          // when `phase` began (agent's Unix milliseconds)
};

// POST /internal/v1/nodes/{node}/replicas on the scheduler: every replica the
// agent runs or is stopping. A replica the scheduler assigned but the report
// lacks was lost (for example the agent restarted) and is assigned again.
struct ReplicaReport {
  std::string node;
  std::vector<ReplicaStatus> replicas;
};

// JSON wire format, strict like wire.h: a missing or mistyped field is an
// InvalidArgument naming it.
nlohmann::json ToJson(const ReplicaAssignment& a);
nlohmann::json ToJson(const ReplicaStatus& s);
nlohmann::json ToJson(const ReplicaReport& r);
Result<ReplicaAssignment> ReplicaAssignmentFromJson(const nlohmann::json& j);
Result<ReplicaStatus> ReplicaStatusFromJson(const nlohmann::json& j);
Result<ReplicaReport> ReplicaReportFromJson(const nlohmann::json& j);

// Replica ids: 1–63 of [a-z0-9-], starting with a letter (they name
// directories on the node and appear in URLs).
Status CheckReplicaId(std::string_view id);

}  // namespace hai::cluster
