#include "daemons/portal/service_replica_store.h"

#include <nlohmann/json.hpp>

namespace hai::portal::replicas {
namespace {

constexpr const char* kSelect =
    "SELECT r.id, r.deployment_id, d.service_id, r.name, r.status, d.cluster, r.node, r.devices, "
    "r.generation, r.address, r.pid, r.restarts, r.reason, r.message, r.stopping, r.created_at, "
    "r.updated_at FROM replicas r JOIN deployments d ON d.id = r.deployment_id";

// The controller writes a JSON array of device indices; anything else shows
// as no devices rather than failing the whole list.
std::vector<int64_t> Devices(const std::string& text) {
  std::vector<int64_t> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& item : j)
    if (item.is_number_integer()) out.push_back(item.get<int64_t>());
  return out;
}

ReplicaInfo Read(const store::Statement& s) {
  ReplicaInfo r;
  r.id = s.Int(0);
  r.deployment_id = s.Int(1);
  r.service_id = s.Int(2);
  r.name = s.Text(3);
  r.status = s.Text(4);
  r.cluster = s.Text(5);
  r.node = s.Text(6);
  r.devices = Devices(s.Text(7));
  r.generation = s.Int(8);
  r.address = s.Text(9);
  r.pid = s.Int(10);
  r.restarts = s.Int(11);
  r.reason = s.Text(12);
  r.message = s.Text(13);
  r.stopping = s.Int(14) != 0;
  r.created_at = s.Int(15);
  r.updated_at = s.Int(16);
  return r;
}

}  // namespace

Result<std::vector<ReplicaInfo>> OfService(Database::Tx& tx, int64_t service_id,
                                           std::optional<int64_t> deployment_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string(kSelect) +
                                  " WHERE d.service_id = ? AND (? IS NULL OR r.deployment_id = ?)"
                                  " ORDER BY r.deployment_id, r.ordinal"));
  s.Bind(1, service_id).Bind(2, deployment_id).Bind(3, deployment_id);
  std::vector<ReplicaInfo> out;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(Read(s));
  }
  return out;
}

Result<ReplicaInfo> Get(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare(std::string(kSelect) + " WHERE r.id = ?"));
  HAI_ASSIGN_OR_RETURN(bool row, s.Bind(1, id).Step());
  if (!row) return Status::NotFound("replica " + std::to_string(id) + " not found");
  return Read(s);
}

Result<std::optional<int64_t>> ServiceOf(Database::Tx& tx, int64_t replica_id) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("SELECT d.service_id FROM replicas r JOIN deployments d ON d.id = r.deployment_id "
                 "WHERE r.id = ? UNION ALL "
                 "SELECT d.service_id FROM replica_events e "
                 "JOIN deployments d ON d.id = e.deployment_id WHERE e.replica_id = ? LIMIT 1"));
  HAI_ASSIGN_OR_RETURN(bool row, s.Bind(1, replica_id).Bind(2, replica_id).Step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(s.Int(0));
}

Result<std::vector<ReplicaEventInfo>> Events(Database::Tx& tx, int64_t replica_id, int64_t limit) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT id, replica_id, time, type, reason, message FROM "
                                  "replica_events WHERE replica_id = ? ORDER BY id DESC LIMIT ?"));
  s.Bind(1, replica_id).Bind(2, limit);
  std::vector<ReplicaEventInfo> out;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5)});
  }
  return out;
}

}  // namespace hai::portal::replicas
