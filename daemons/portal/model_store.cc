#include "daemons/portal/model_store.h"

#include <map>
#include <nlohmann/json.hpp>

namespace hai::portal::models {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "id, name, display_name, category, capabilities, series, vendor, params_b, context_length, "
    "licence, introduction, use_cases, highlights, compatible_engines, evaluation_results, "
    "source, visible_to_all, available, artifact_dir, artifact_format, artifact_model_type, "
    "artifact_architecture, artifact_bytes, versions, created_at, updated_at";

std::string Texts(const std::vector<std::string>& items) { return json(items).dump(); }

std::string Versions(const std::vector<ModelVersion>& versions) {
  json out = json::array();
  for (const ModelVersion& v : versions)
    out.push_back({{"version", v.version},
                   {"imported_at", v.imported_at},
                   {"total_bytes", v.total_bytes},
                   {"digest", v.digest}});
  return out.dump();
}

std::string Evaluations(const std::vector<EvaluationResult>& results) {
  json out = json::array();
  for (const EvaluationResult& r : results) {
    json e = {{"dataset", r.dataset}, {"metric", r.metric}, {"score", r.score}, {"note", r.note}};
    e["evaluated_at"] = r.evaluated_at ? json(*r.evaluated_at) : json(nullptr);
    out.push_back(std::move(e));
  }
  return out.dump();
}

// Stored JSON columns are written only by this file; a value that does not
// parse is a damaged database, reported rather than thrown.
Status Decode(const store::Statement& s, Model* m) {
  try {
    m->facts.capabilities = json::parse(s.Text(4)).get<std::vector<std::string>>();
    m->facts.use_cases = json::parse(s.Text(11)).get<std::vector<std::string>>();
    m->facts.highlights = json::parse(s.Text(12)).get<std::vector<std::string>>();
    m->facts.compatible_engines = json::parse(s.Text(13)).get<std::vector<std::string>>();
    for (const json& e : json::parse(s.Text(14))) {
      EvaluationResult r{e.at("dataset").get<std::string>(), e.at("metric").get<std::string>(),
                         e.at("score").get<double>(), std::nullopt,
                         e.at("note").get<std::string>()};
      if (!e.at("evaluated_at").is_null()) r.evaluated_at = e.at("evaluated_at").get<int64_t>();
      m->evaluation_results.push_back(std::move(r));
    }
    for (const json& v : json::parse(s.Text(23)))
      m->versions.push_back({v.at("version").get<std::string>(), v.at("imported_at").get<int64_t>(),
                             v.at("total_bytes").get<int64_t>(),
                             v.at("digest").get<std::string>()});
  } catch (const json::exception& e) {
    return Status::Internal("model " + std::to_string(m->id) +
                            ": stored card is damaged: " + e.what());
  }
  return Status::Ok();
}

Result<Model> Read(const store::Statement& s) {
  Model m;
  m.id = s.Int(0);
  m.name = s.Text(1);
  m.facts.display_name = s.Text(2);
  auto category = ParseCategory(s.Text(3));
  auto source = ParseSource(s.Text(15));
  if (!category || !source) return Status::Internal("model " + m.name + ": damaged row");
  m.facts.category = *category;
  m.facts.series = s.Text(5);
  m.facts.vendor = s.Text(6);
  if (!s.IsNull(7)) m.facts.params_b = s.Double(7);
  m.facts.context_length = s.OptInt(8);
  m.facts.licence = s.Text(9);
  m.facts.introduction = s.Text(10);
  m.source = *source;
  m.visible_to_all = s.Int(16) != 0;
  m.available = s.Int(17) != 0;
  if (!s.IsNull(18)) {
    ModelArtifact a;
    a.dir = s.Text(18);
    a.format = s.Text(19);
    a.model_type = s.Text(20);
    a.architecture = s.Text(21);
    a.total_bytes = s.Int(22);
    m.artifact = std::move(a);
  }
  m.created_at = s.Int(24);
  m.updated_at = s.Int(25);
  HAI_RETURN_IF_ERROR(Decode(s, &m));
  return m;
}

Result<std::map<int64_t, std::vector<int64_t>>> Visibility(Database::Tx& tx,
                                                           std::optional<int64_t> only) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string("SELECT model_id, org_id FROM model_visibility") +
                                  (only ? " WHERE model_id = ?" : "") + " ORDER BY org_id"));
  if (only) s.Bind(1, *only);
  std::map<int64_t, std::vector<int64_t>> out;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out[s.Int(0)].push_back(s.Int(1));
  }
  return out;
}

Result<std::vector<ModelFile>> Files(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("SELECT path, bytes, sha256 FROM model_files "
                                                      "WHERE model_id = ? ORDER BY path"));
  s.Bind(1, id);
  std::vector<ModelFile> files;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    files.push_back({s.Text(0), s.Int(1), s.Text(2)});
  }
  return files;
}

Status RequireChanged(Database::Tx& tx, int64_t id) {
  if (tx.Changes() == 0) return Status::NotFound("model " + std::to_string(id) + " not found");
  return Status::Ok();
}

Status NameTaken(const Status& st, const std::string& name) {
  if (st.code() == Code::kAlreadyExists)
    return Status::AlreadyExists("a model named '" + name + "' exists", "name");
  return st;
}

}  // namespace

Result<std::vector<Model>> All(Database::Tx& tx) {
  HAI_ASSIGN_OR_RETURN(auto visibility, Visibility(tx, std::nullopt));
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string("SELECT ") + kColumns + " FROM models ORDER BY id"));
  std::vector<Model> out;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    HAI_ASSIGN_OR_RETURN(Model m, Read(s));
    m.visible_org_ids = visibility[m.id];
    out.push_back(std::move(m));
  }
  return out;
}

Result<Model> Get(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string("SELECT ") + kColumns + " FROM models WHERE id = ?"));
  s.Bind(1, id);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("model " + std::to_string(id) + " not found");
  HAI_ASSIGN_OR_RETURN(Model m, Read(s));
  HAI_ASSIGN_OR_RETURN(auto visibility, Visibility(tx, id));
  m.visible_org_ids = visibility[id];
  if (m.artifact) {
    HAI_ASSIGN_OR_RETURN(m.artifact->files, Files(tx, id));
  }
  return m;
}

Result<std::optional<int64_t>> IdByName(Database::Tx& tx, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("SELECT id FROM models WHERE name = ?"));
  s.Bind(1, name);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? std::optional<int64_t>(s.Int(0)) : std::nullopt;
}

Result<std::optional<CatalogState>> CatalogStateOf(Database::Tx& tx, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT id, source, catalog_digest, card_edited FROM models "
                                  "WHERE name = ?"));
  s.Bind(1, name);
  HAI_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<CatalogState>();
  auto source = ParseSource(s.Text(1));
  if (!source) return Status::Internal("model " + name + ": damaged source");
  return std::optional<CatalogState>(CatalogState{s.Int(0), *source, s.Text(2), s.Int(3) != 0});
}

Result<int64_t> Insert(Database::Tx& tx, const std::string& name, const ModelFacts& facts,
                       ModelSource source, const std::string& catalog_digest, bool card_edited,
                       int64_t now) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("INSERT INTO models(name, display_name, category, source, catalog_digest, "
                 "card_edited, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, name).Bind(2, facts.display_name).Bind(3, CategoryName(facts.category));
  s.Bind(4, SourceName(source)).Bind(5, catalog_digest).Bind(6, card_edited);
  s.Bind(7, now).Bind(8, now);
  HAI_RETURN_IF_ERROR(NameTaken(s.Run(), name));
  const int64_t id = tx.LastInsertId();
  HAI_RETURN_IF_ERROR(SetFacts(tx, id, facts, card_edited, now));
  return id;
}

Status SetFacts(Database::Tx& tx, int64_t id, const ModelFacts& f, bool card_edited, int64_t now) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("UPDATE models SET display_name = ?, category = ?, capabilities = ?, series = ?, "
                 "vendor = ?, params_b = ?, context_length = ?, licence = ?, introduction = ?, "
                 "use_cases = ?, highlights = ?, compatible_engines = ?, "
                 "card_edited = max(card_edited, ?), updated_at = ? WHERE id = ?"));
  s.Bind(1, f.display_name).Bind(2, CategoryName(f.category)).Bind(3, Texts(f.capabilities));
  s.Bind(4, f.series).Bind(5, f.vendor).Bind(6, f.params_b).Bind(7, f.context_length);
  s.Bind(8, f.licence).Bind(9, f.introduction).Bind(10, Texts(f.use_cases));
  s.Bind(11, Texts(f.highlights)).Bind(12, Texts(f.compatible_engines)).Bind(13, card_edited);
  s.Bind(14, now).Bind(15, id);
  HAI_RETURN_IF_ERROR(s.Run());
  return RequireChanged(tx, id);
}

Status SetCatalogState(Database::Tx& tx, int64_t id, ModelSource source, const std::string& digest,
                       int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE models SET source = ?, catalog_digest = ?, "
                                  "updated_at = ? WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, SourceName(source)).Bind(2, digest).Bind(3, now).Bind(4, id).Run());
  return RequireChanged(tx, id);
}

Status SetEvaluationResults(Database::Tx& tx, int64_t id,
                            const std::vector<EvaluationResult>& results, int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("UPDATE models SET evaluation_results = ?, updated_at = ? "
                                  "WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, Evaluations(results)).Bind(2, now).Bind(3, id).Run());
  return RequireChanged(tx, id);
}

Status SetVisibility(Database::Tx& tx, int64_t id, bool to_all, const std::vector<int64_t>& org_ids,
                     int64_t now) {
  HAI_ASSIGN_OR_RETURN(store::Statement u,
                       tx.Prepare("UPDATE models SET visible_to_all = ?, updated_at = ? "
                                  "WHERE id = ?"));
  HAI_RETURN_IF_ERROR(u.Bind(1, to_all).Bind(2, now).Bind(3, id).Run());
  HAI_RETURN_IF_ERROR(RequireChanged(tx, id));
  HAI_ASSIGN_OR_RETURN(store::Statement d,
                       tx.Prepare("DELETE FROM model_visibility WHERE model_id = ?"));
  HAI_RETURN_IF_ERROR(d.Bind(1, id).Run());
  for (int64_t org : org_ids) {
    HAI_ASSIGN_OR_RETURN(store::Statement exists, tx.Prepare("SELECT 1 FROM orgs WHERE id = ?"));
    exists.Bind(1, org);
    HAI_ASSIGN_OR_RETURN(bool found, exists.Step());
    if (!found)
      return Status::InvalidArgument(
          "visible_org_ids: organisation " + std::to_string(org) + " does not exist",
          "visible_org_ids");
    HAI_ASSIGN_OR_RETURN(store::Statement i,
                         tx.Prepare("INSERT OR IGNORE INTO model_visibility(model_id, org_id) "
                                    "VALUES (?, ?)"));
    HAI_RETURN_IF_ERROR(i.Bind(1, id).Bind(2, org).Run());
  }
  return Status::Ok();
}

Status SetArtifact(Database::Tx& tx, int64_t id, const ModelArtifact& a,
                   const ModelVersion& version, int64_t now) {
  HAI_ASSIGN_OR_RETURN(Model current, Get(tx, id));
  current.versions.push_back(version);
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("UPDATE models SET available = 1, artifact_dir = ?, artifact_format = ?, "
                 "artifact_model_type = ?, artifact_architecture = ?, artifact_bytes = ?, "
                 "versions = ?, updated_at = ? WHERE id = ?"));
  s.Bind(1, a.dir).Bind(2, a.format).Bind(3, a.model_type).Bind(4, a.architecture);
  s.Bind(5, a.total_bytes).Bind(6, Versions(current.versions)).Bind(7, now).Bind(8, id);
  HAI_RETURN_IF_ERROR(s.Run());
  HAI_ASSIGN_OR_RETURN(store::Statement d,
                       tx.Prepare("DELETE FROM model_files WHERE model_id = ?"));
  HAI_RETURN_IF_ERROR(d.Bind(1, id).Run());
  for (const ModelFile& f : a.files) {
    HAI_ASSIGN_OR_RETURN(store::Statement row,
                         tx.Prepare("INSERT INTO model_files(model_id, path, bytes, sha256) "
                                    "VALUES (?, ?, ?, ?)"));
    HAI_RETURN_IF_ERROR(row.Bind(1, id).Bind(2, f.path).Bind(3, f.bytes).Bind(4, f.sha256).Run());
  }
  return Status::Ok();
}

Status ClearArtifact(Database::Tx& tx, int64_t id, int64_t now) {
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("UPDATE models SET available = 0, artifact_dir = NULL, artifact_format = NULL, "
                 "artifact_model_type = NULL, artifact_architecture = NULL, artifact_bytes = 0, "
                 "updated_at = ? WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, now).Bind(2, id).Run());
  HAI_RETURN_IF_ERROR(RequireChanged(tx, id));
  HAI_ASSIGN_OR_RETURN(store::Statement d,
                       tx.Prepare("DELETE FROM model_files WHERE model_id = ?"));
  return d.Bind(1, id).Run();
}

Status Remove(Database::Tx& tx, int64_t id) {
  HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("DELETE FROM models WHERE id = ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, id).Run());
  return RequireChanged(tx, id);
}

}  // namespace hai::portal::models
