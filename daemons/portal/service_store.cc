#include "daemons/portal/service_store.h"

#include <nlohmann/json.hpp>

namespace hai::portal::services {
namespace {

// A replica counts as ready while it serves and is not being taken away.
constexpr const char* kReadyReplica = "r.status = 'Ready' AND r.stopping = 0";

const std::string kColumns =
    std::string(
        "s.id, s.org_id, o.name, s.name, s.description, s.capabilities, s.model_id, m.name, "
        "s.created_by, s.deleting, s.created_at, s.updated_at, "
        "(SELECT count(*) FROM deployments d WHERE d.service_id = s.id), "
        "(SELECT COALESCE(SUM(d.replicas), 0) FROM deployments d "
        " WHERE d.service_id = s.id AND d.state = 'active'), "
        "(SELECT count(*) FROM replicas r JOIN deployments d ON d.id = r.deployment_id "
        " WHERE d.service_id = s.id AND ") +
    kReadyReplica +
    "), "
    "EXISTS (SELECT 1 FROM replicas r JOIN deployments d ON d.id = r.deployment_id "
    " WHERE d.service_id = s.id AND d.state = 'active' AND d.weight > 0 AND " +
    kReadyReplica + ")";
constexpr const char* kFrom =
    "services s JOIN orgs o ON o.id = s.org_id JOIN models m ON m.id = s.model_id";

std::vector<std::string> Strings(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& item : j)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

ModelService Read(const store::Statement& s) {
  ModelService m;
  m.id = s.Int(0);
  m.org_id = s.Int(1);
  m.org_name = s.Text(2);
  m.name = s.Text(3);
  m.description = s.Text(4);
  m.capabilities = Strings(s.Text(5));
  m.model_id = s.Int(6);
  m.model_name = s.Text(7);
  m.created_by = s.OptInt(8);
  m.deleting = s.Int(9) != 0;
  m.created_at = s.Int(10);
  m.updated_at = s.Int(11);
  m.deployments = s.Int(12);
  m.desired = s.Int(13);
  m.ready = s.Int(14);
  m.online = s.Int(15) != 0;
  return m;
}

// Why a name is taken: a live service, or one still being deleted.
Status NameTaken(Database::Tx& tx, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT deleting FROM services WHERE name = ?"));
  HAI_ASSIGN_OR_RETURN(bool row, s.Bind(1, name).Step());
  if (row && s.Int(0) != 0)
    return Status::AlreadyExists("service '" + name +
                                     "' is being deleted; its name is free once its replicas "
                                     "have stopped",
                                 "name");
  return Status::AlreadyExists("a service named '" + name + "' exists", "name");
}

}  // namespace

const std::map<std::string, std::string>& SortColumns() {
  static const std::map<std::string, std::string> kSort = {{"name", "s.name"},
                                                           {"created_at", "s.created_at"},
                                                           {"updated_at", "s.updated_at"},
                                                           {"id", "s.id"}};
  return kSort;
}

Result<ModelService> Insert(Database::Tx& tx, const NewService& n, int64_t now) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("INSERT INTO services(org_id, name, description, capabilities, model_id, "
                 "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, n.org_id).Bind(2, n.name).Bind(3, n.description);
  s.Bind(4, nlohmann::json(n.capabilities).dump()).Bind(5, n.model_id).Bind(6, n.created_by);
  Status st = s.Bind(7, now).Bind(8, now).Run();
  if (st.code() == Code::kAlreadyExists) return NameTaken(tx, n.name);
  HAI_RETURN_IF_ERROR(st);
  return Get(tx, tx.LastInsertId());
}

Result<ModelService> Get(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT " + kColumns + " FROM " + kFrom + " WHERE s.id = ?"));
  HAI_ASSIGN_OR_RETURN(bool row, s.Bind(1, id).Step());
  if (!row) return Status::NotFound("service " + std::to_string(id) + " not found");
  return Read(s);
}

Result<std::optional<ModelService>> FindByName(Database::Tx& tx, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("SELECT " + kColumns + " FROM " + kFrom +
                                                      " WHERE s.name = ? COLLATE NOCASE"));
  HAI_ASSIGN_OR_RETURN(bool row, s.Bind(1, name).Step());
  if (!row) return std::optional<ModelService>();
  return std::optional<ModelService>(Read(s));
}

Result<Page<ModelService>> List(Database::Tx& tx, const Filter& filter, const ListWindow& window) {
  Where where;
  if (filter.org_id) where.And("s.org_id = ?", {*filter.org_id});
  if (filter.model_id) where.And("s.model_id = ?", {*filter.model_id});
  if (!filter.q.empty())
    where.And("s.name LIKE ? ESCAPE '\\' OR s.description LIKE ? ESCAPE '\\'",
              {ContainsPattern(filter.q), ContainsPattern(filter.q)});
  if (filter.visible_orgs) where.AndIn("s.org_id", *filter.visible_orgs);
  HAI_ASSIGN_OR_RETURN(auto rows,
                       ReadPage<ModelService>(tx, kColumns, kFrom, where, window, "s.id", Read));
  return Page<ModelService>{std::move(rows.first), rows.second};
}

Status Update(Database::Tx& tx, int64_t id, const std::optional<std::string>& description,
              const std::optional<std::vector<std::string>>& capabilities, int64_t now) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("UPDATE services SET description = COALESCE(?, description), "
                 "capabilities = COALESCE(?, capabilities), updated_at = ? WHERE id = ?"));
  std::optional<std::string> caps;
  if (capabilities) caps = nlohmann::json(*capabilities).dump();
  HAI_RETURN_IF_ERROR(s.Bind(1, description).Bind(2, caps).Bind(3, now).Bind(4, id).Run());
  if (tx.Changes() == 0) return Status::NotFound("service " + std::to_string(id) + " not found");
  return Status::Ok();
}

Result<bool> Delete(Database::Tx& tx, int64_t id, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement stop,
                       tx.Prepare("UPDATE deployments SET state = 'deleting', updated_at = ? "
                                  "WHERE service_id = ? AND state != 'deleting'"));
  HAI_RETURN_IF_ERROR(stop.Bind(1, now).Bind(2, id).Run());
  HAI_ASSIGN_OR_RETURN(store::Statement gone,
                       tx.Prepare("DELETE FROM services WHERE id = ? AND NOT EXISTS "
                                  "(SELECT 1 FROM deployments d WHERE d.service_id = ?)"));
  HAI_RETURN_IF_ERROR(gone.Bind(1, id).Bind(2, id).Run());
  if (tx.Changes() > 0) return true;
  HAI_ASSIGN_OR_RETURN(
      store::Statement mark,
      tx.Prepare("UPDATE services SET deleting = 1, updated_at = ? WHERE id = ? AND deleting = 0"));
  HAI_RETURN_IF_ERROR(mark.Bind(1, now).Bind(2, id).Run());
  return false;
}

Result<int64_t> RemoveFinished(Database::Tx& tx) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("DELETE FROM services WHERE deleting = 1 AND NOT EXISTS "
                 "(SELECT 1 FROM deployments d WHERE d.service_id = services.id)"));
  HAI_RETURN_IF_ERROR(s.Run());
  return static_cast<int64_t>(tx.Changes());
}

Result<std::vector<std::string>> NamesUsingModel(Database::Tx& tx, int64_t model_id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT name FROM services WHERE model_id = ? ORDER BY name"));
  s.Bind(1, model_id);
  std::vector<std::string> out;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(s.Text(0));
  }
  return out;
}

}  // namespace hai::portal::services
