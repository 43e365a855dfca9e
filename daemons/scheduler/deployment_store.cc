#include "daemons/scheduler/deployment_store.h"

#include <nlohmann/json.hpp>

#include "daemons/scheduler/model_artifacts.h"

namespace hai::scheduler {
namespace {

using nlohmann::json;

// The JSON columns are written by the portal after validation; a value that
// does not parse here is reported, not guessed at.
template <typename T>
Status ParseColumn(const std::string& text, const char* column, int64_t id, T* out) {
  try {
    *out = json::parse(text).get<T>();
    return Status::Ok();
  } catch (const json::exception&) {
    return Status::Internal("deployment " + std::to_string(id) + ": column " + column +
                            " is not valid JSON of the expected shape");
  }
}

constexpr const char* kReplicaColumns =
    "id, deployment_id, ordinal, name, status, node, devices, generation, address, pid, "
    "restarts, reason, message, stopping, created_at, updated_at";

Result<ReplicaRow> ReadReplica(const store::Statement& s) {
  ReplicaRow r;
  r.id = s.Int(0);
  r.deployment_id = s.Int(1);
  r.ordinal = static_cast<int>(s.Int(2));
  r.name = s.Text(3);
  const auto phase = cluster::ParseReplicaPhase(s.Text(4));
  if (!phase) return Status::Internal("replica " + std::to_string(r.id) + ": unknown status");
  r.status = *phase;
  r.node = s.Text(5);
  HAI_RETURN_IF_ERROR(ParseColumn(s.Text(6), "devices", r.id, &r.devices));
  r.generation = s.Int(7);
  r.address = s.Text(8);
  r.pid = static_cast<int>(s.Int(9));
  r.restarts = static_cast<int>(s.Int(10));
  r.reason = s.Text(11);
  r.message = s.Text(12);
  r.stopping = s.Int(13) != 0;
  r.created_at = s.Int(14);
  r.updated_at = s.Int(15);
  return r;
}

}  // namespace

int64_t ReplicaIdFromWire(const std::string& wire_id) {
  if (wire_id.rfind("rep-", 0) != 0 || wire_id.size() <= 4 || wire_id.size() > 22) return 0;
  int64_t id = 0;
  for (size_t i = 4; i < wire_id.size(); ++i) {
    if (wire_id[i] < '0' || wire_id[i] > '9') return 0;
    id = id * 10 + (wire_id[i] - '0');
  }
  return id;
}

Result<std::vector<DeploymentSpec>> DeploymentStore::Deployments() const {
  std::vector<DeploymentSpec> out;
  HAI_RETURN_IF_ERROR(db_->Read([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(
        store::Statement s,
        tx.Prepare("SELECT d.id, d.service_id, s.name, d.engine, d.vendor, d.device_model, "
                   "d.devices_per_replica, d.memory_mib, d.replicas, d.model_path, d.params, "
                   "d.args, d.env, d.state, d.generation, d.cluster, s.model_id "
                   "FROM deployments d JOIN services s ON s.id = d.service_id ORDER BY d.id"));
    for (;;) {
      HAI_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      DeploymentSpec d;
      d.id = s.Int(0);
      d.service_id = s.Int(1);
      d.service = s.Text(2);
      d.engine = s.Text(3);
      d.vendor = s.Text(4);
      d.device_model = s.Text(5);
      d.devices_per_replica = static_cast<int>(s.Int(6));
      d.memory_mib = s.Int(7);
      d.replicas = static_cast<int>(s.Int(8));
      d.model_path = s.Text(9);
      HAI_RETURN_IF_ERROR(ParseColumn(s.Text(10), "params", d.id, &d.params));
      HAI_RETURN_IF_ERROR(ParseColumn(s.Text(11), "args", d.id, &d.args));
      HAI_RETURN_IF_ERROR(ParseColumn(s.Text(12), "env", d.id, &d.env));
      d.state = s.Text(13);
      d.generation = s.Int(14);
      d.cluster = s.Text(15);
      d.model_id = s.Int(16);
      out.push_back(std::move(d));
    }
    // The digest of each model's files as they are now, so that an agent
    // finds a cached copy without asking; read once per model.
    std::map<int64_t, std::string> digests;
    for (DeploymentSpec& d : out) {
      auto it = digests.find(d.model_id);
      if (it == digests.end()) {
        HAI_ASSIGN_OR_RETURN(std::vector<cluster::ModelFileEntry> files,
                             ReadModelFiles(tx, d.model_id));
        it = digests.emplace(d.model_id, cluster::ModelDigest(files)).first;
      }
      d.model_digest = it->second;
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<ReplicaRow>> DeploymentStore::Replicas() const {
  std::vector<ReplicaRow> out;
  HAI_RETURN_IF_ERROR(db_->Read([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(
        store::Statement s,
        tx.Prepare(std::string("SELECT ") + kReplicaColumns + " FROM replicas ORDER BY id"));
    for (;;) {
      HAI_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      HAI_ASSIGN_OR_RETURN(ReplicaRow r, ReadReplica(s));
      out.push_back(std::move(r));
    }
    return Status::Ok();
  }));
  return out;
}

Result<ReplicaRow> DeploymentStore::AddReplica(const DeploymentSpec& deployment, int64_t now) {
  ReplicaRow r;
  r.deployment_id = deployment.id;
  r.status = cluster::ReplicaPhase::kPending;
  r.created_at = r.updated_at = now;
  HAI_RETURN_IF_ERROR(db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(
        store::Statement next,
        tx.Prepare("SELECT COALESCE(MAX(ordinal), -1) + 1 FROM replicas WHERE deployment_id = ?"));
    HAI_ASSIGN_OR_RETURN(bool row, next.Bind(1, deployment.id).Step());
    r.ordinal = row ? static_cast<int>(next.Int(0)) : 0;
    r.name = deployment.service + "-" + std::to_string(r.ordinal);
    HAI_ASSIGN_OR_RETURN(
        store::Statement s,
        tx.Prepare("INSERT INTO replicas(deployment_id, ordinal, name, status, created_at, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?)"));
    s.Bind(1, r.deployment_id).Bind(2, r.ordinal).Bind(3, r.name);
    s.Bind(4, std::string(cluster::ReplicaPhaseName(r.status))).Bind(5, now).Bind(6, now);
    HAI_RETURN_IF_ERROR(s.Run());
    r.id = tx.LastInsertId();
    return Status::Ok();
  }));
  return r;
}

Status DeploymentStore::UpdateReplica(const ReplicaRow& r) {
  return db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(
        store::Statement s,
        tx.Prepare("UPDATE replicas SET status = ?, node = ?, devices = ?, generation = ?, "
                   "address = ?, pid = ?, restarts = ?, reason = ?, message = ?, stopping = ?, "
                   "updated_at = ? WHERE id = ?"));
    s.Bind(1, std::string(cluster::ReplicaPhaseName(r.status))).Bind(2, r.node);
    s.Bind(3, json(r.devices).dump()).Bind(4, r.generation).Bind(5, r.address).Bind(6, r.pid);
    s.Bind(7, r.restarts).Bind(8, r.reason).Bind(9, r.message).Bind(10, r.stopping);
    return s.Bind(11, r.updated_at).Bind(12, r.id).Run();
  });
}

Status DeploymentStore::DeleteReplica(int64_t id) {
  return db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("DELETE FROM replicas WHERE id = ?"));
    return s.Bind(1, id).Run();
  });
}

Status DeploymentStore::DeleteDeploymentIfDone(int64_t id) {
  return db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(
        store::Statement s,
        tx.Prepare("DELETE FROM deployments WHERE id = ? AND state = 'deleting' AND NOT EXISTS "
                   "(SELECT 1 FROM replicas WHERE deployment_id = ?)"));
    return s.Bind(1, id).Bind(2, id).Run();
  });
}

Status DeploymentStore::AddEvent(const ReplicaRow& replica, int64_t time, const std::string& type,
                                 const std::string& reason, const std::string& message) {
  return db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(
        store::Statement s,
        tx.Prepare("INSERT INTO replica_events(replica_id, deployment_id, time, type, reason, "
                   "message) VALUES (?, ?, ?, ?, ?, ?)"));
    s.Bind(1, replica.id).Bind(2, replica.deployment_id).Bind(3, time).Bind(4, type);
    return s.Bind(5, reason).Bind(6, message).Run();
  });
}

Result<std::vector<ReplicaEvent>> DeploymentStore::Events(int64_t replica_id, int limit) const {
  std::vector<ReplicaEvent> out;
  HAI_RETURN_IF_ERROR(db_->Read([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(
        store::Statement s,
        tx.Prepare("SELECT id, replica_id, deployment_id, time, type, reason, message FROM "
                   "replica_events WHERE replica_id = ? ORDER BY id DESC LIMIT ?"));
    s.Bind(1, replica_id).Bind(2, limit);
    for (;;) {
      HAI_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back({s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4), s.Text(5), s.Text(6)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace hai::scheduler
