#include "daemons/portal/service_deployment_store.h"

#include <nlohmann/json.hpp>

namespace hai::portal::deployments {
namespace {

using nlohmann::json;

constexpr const char* kSelect =
    "SELECT d.id, d.service_id, d.cluster, d.engine, d.vendor, d.device_model, "
    "d.devices_per_replica, d.memory_mib, d.replicas, d.model_path, d.args, d.env, d.weight, "
    "d.state, d.generation, d.created_at, d.updated_at, "
    "(SELECT count(*) FROM replicas r WHERE r.deployment_id = d.id AND r.status = 'Ready' "
    " AND r.stopping = 0) FROM deployments d";

// The JSON columns are written here only, after validation.
template <typename T>
Status ParseColumn(const std::string& text, const char* column, int64_t id, T* out) {
  auto j = json::parse(text, nullptr, false);
  try {
    if (!j.is_discarded()) {
      *out = j.get<T>();
      return Status::Ok();
    }
  } catch (const json::exception&) {
  }
  return Status::Internal("deployment " + std::to_string(id) + ": column " + column +
                          " does not hold the expected JSON");
}

Result<Deployment> Read(const store::Statement& s) {
  Deployment d;
  d.id = s.Int(0);
  d.service_id = s.Int(1);
  d.spec.cluster = s.Text(2);
  d.spec.engine = s.Text(3);
  d.spec.vendor = s.Text(4);
  d.spec.device_model = s.Text(5);
  d.spec.devices_per_replica = s.Int(6);
  d.spec.memory_mib = s.Int(7);
  d.spec.replicas = s.Int(8);
  d.model_path = s.Text(9);
  HAI_RETURN_IF_ERROR(ParseColumn(s.Text(10), "args", d.id, &d.spec.args));
  HAI_RETURN_IF_ERROR(ParseColumn(s.Text(11), "env", d.id, &d.spec.env));
  d.spec.weight = s.Int(12);
  auto state = ParseDeploymentState(s.Text(13));
  if (!state) return Status::Internal("deployment " + std::to_string(d.id) + ": unknown state");
  d.state = *state;
  d.generation = s.Int(14);
  d.created_at = s.Int(15);
  d.updated_at = s.Int(16);
  d.ready = s.Int(17);
  return d;
}

Result<std::vector<Deployment>> ReadAll(store::Statement& s) {
  std::vector<Deployment> out;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    HAI_ASSIGN_OR_RETURN(Deployment d, Read(s));
    out.push_back(std::move(d));
  }
  return out;
}

Status NotFound(int64_t id) {
  return Status::NotFound("deployment " + std::to_string(id) + " not found");
}

}  // namespace

Result<Deployment> Insert(Database::Tx& tx, int64_t service_id, const DeploymentRequest& r,
                          const std::string& model_path, int64_t now) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("INSERT INTO deployments(service_id, cluster, engine, vendor, device_model, "
                 "devices_per_replica, memory_mib, replicas, model_path, args, env, weight, "
                 "state, generation, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 1, ?, ?)"));
  s.Bind(1, service_id).Bind(2, r.cluster).Bind(3, r.engine).Bind(4, r.vendor);
  s.Bind(5, r.device_model).Bind(6, r.devices_per_replica).Bind(7, r.memory_mib);
  s.Bind(8, r.replicas).Bind(9, model_path).Bind(10, json(r.args).dump());
  s.Bind(11, json(r.env).dump()).Bind(12, r.weight).Bind(13, now).Bind(14, now);
  HAI_RETURN_IF_ERROR(s.Run());
  return Get(tx, service_id, tx.LastInsertId());
}

Result<Deployment> Get(Database::Tx& tx, int64_t service_id, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string(kSelect) + " WHERE d.id = ? AND d.service_id = ?"));
  s.Bind(1, id).Bind(2, service_id);
  HAI_ASSIGN_OR_RETURN(std::vector<Deployment> found, ReadAll(s));
  if (found.empty()) return NotFound(id);
  return std::move(found.front());
}

Result<std::vector<Deployment>> OfService(Database::Tx& tx, int64_t service_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string(kSelect) + " WHERE d.service_id = ? ORDER BY d.id"));
  s.Bind(1, service_id);
  return ReadAll(s);
}

Result<Deployment> Apply(Database::Tx& tx, const Deployment& current, const DeploymentPatch& p,
                         int64_t now) {
  Deployment next = current;
  if (p.replicas) next.spec.replicas = *p.replicas;
  if (p.weight) next.spec.weight = *p.weight;
  if (p.args) next.spec.args = *p.args;
  if (p.env) next.spec.env = *p.env;
  if (p.state) next.state = *p.state;
  if (next.spec.args != current.spec.args || next.spec.env != current.spec.env)
    next.generation = current.generation + 1;
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("UPDATE deployments SET replicas = ?, weight = ?, args = ?, env = ?, state = ?, "
                 "generation = ?, updated_at = ? WHERE id = ?"));
  s.Bind(1, next.spec.replicas).Bind(2, next.spec.weight).Bind(3, json(next.spec.args).dump());
  s.Bind(4, json(next.spec.env).dump()).Bind(5, std::string(DeploymentStateName(next.state)));
  HAI_RETURN_IF_ERROR(s.Bind(6, next.generation).Bind(7, now).Bind(8, current.id).Run());
  if (tx.Changes() == 0) return NotFound(current.id);
  return Get(tx, current.service_id, current.id);
}

Status MarkDeleting(Database::Tx& tx, int64_t id, int64_t now) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("UPDATE deployments SET state = 'deleting', updated_at = ? WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, now).Bind(2, id).Run());
  if (tx.Changes() == 0) return NotFound(id);
  return Status::Ok();
}

}  // namespace hai::portal::deployments
