// The registry's catalogue, demo weights, reads and edits. Imports and
// removals are in model_registry_import.cc.
#include "daemons/portal/model_registry.h"

#include <sys/stat.h>

#include <filesystem>

#include "daemons/portal/model_checkpoint_check.h"
#include "daemons/portal/model_store.h"
#include "lib/log/log.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;
using store::Database;

constexpr int64_t kShippedRefreshMs = 2000;

// Changes when any file in the folder is added, removed, resized or rewritten.
std::string FolderSignature(const std::string& dir) {
  std::string sig;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;
    sig += it->path().string() + ":" + std::to_string(st.st_size) + ":" +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ";";
  }
  return sig;
}

// Staging and removed folders are only ever left by a crash mid-import or
// mid-removal; no row refers to them.
void RemoveLeftovers(const std::string& models_dir) {
  std::error_code ec;
  for (fs::directory_iterator it(models_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(".import-", 0) != 0 && name.rfind(".removed-", 0) != 0) continue;
    std::error_code removed;
    fs::remove_all(it->path(), removed);
    log::Info("removed a folder left by an interrupted import or removal",
              {{"dir", it->path().string()}, {"error", removed.message()}});
  }
}

}  // namespace

bool ModelPatch::TouchesFacts() const {
  return display_name || category || capabilities || series || vendor || params_b ||
         context_length || licence || introduction || use_cases || highlights || compatible_engines;
}

void ModelPatch::ApplyTo(ModelFacts* f) const {
  if (display_name) f->display_name = *display_name;
  if (category) f->category = *category;
  if (capabilities) f->capabilities = *capabilities;
  if (series) f->series = *series;
  if (vendor) f->vendor = *vendor;
  if (params_b) f->params_b = *params_b;
  if (context_length) f->context_length = *context_length;
  if (licence) f->licence = *licence;
  if (introduction) f->introduction = *introduction;
  if (use_cases) f->use_cases = *use_cases;
  if (highlights) f->highlights = *highlights;
  if (compatible_engines) f->compatible_engines = *compatible_engines;
}

std::string ModelPatch::FieldNames() const {
  std::string out;
  auto add = [&out](bool set, const char* name) {
    if (set) out += (out.empty() ? "" : ", ") + std::string(name);
  };
  add(display_name.has_value(), "display_name");
  add(category.has_value(), "category");
  add(capabilities.has_value(), "capabilities");
  add(series.has_value(), "series");
  add(vendor.has_value(), "vendor");
  add(params_b.has_value(), "params_b");
  add(context_length.has_value(), "context_length");
  add(licence.has_value(), "licence");
  add(introduction.has_value(), "introduction");
  add(use_cases.has_value(), "use_cases");
  add(highlights.has_value(), "highlights");
  add(compatible_engines.has_value(), "compatible_engines");
  add(evaluation_results.has_value(), "evaluation_results");
  add(visible_to_all.has_value() || visible_org_ids.has_value(), "visibility");
  return out;
}

ModelRegistry::ModelRegistry(store::Database* db, const Clock* clock, ModelRegistryOptions options)
    : db_(db),
      clock_(clock),
      options_(std::move(options)),
      models_dir_(options_.data_dir + "/models") {}

Status ModelRegistry::Start() {
  RemoveLeftovers(models_dir_);
  std::error_code ec;
  if (!fs::is_directory(options_.catalog_dir, ec))
    log::Warn("model catalogue not found; the plaza lists imported models only",
              {{"catalog_dir", options_.catalog_dir}});
  HAI_ASSIGN_OR_RETURN(catalog_, LoadCatalog(options_.catalog_dir));
  HAI_RETURN_IF_ERROR(ApplyCatalog(catalog_));
  RefreshShipped();
  last_refresh_ms_ = clock_->NowMs();
  return Status::Ok();
}

Status ModelRegistry::ApplyCatalog(const std::vector<CatalogEntry>& entries) {
  int added = 0, updated = 0;
  const int64_t now = clock_->NowMs();
  HAI_RETURN_IF_ERROR(db_->Write([&](Database::Tx& tx) -> Status {
    for (const CatalogEntry& e : entries) {
      HAI_ASSIGN_OR_RETURN(std::optional<models::CatalogState> state,
                           models::CatalogStateOf(tx, e.name));
      if (!state) {
        HAI_RETURN_IF_ERROR(
            models::Insert(tx, e.name, e.facts, e.source, e.digest, false, now).status());
        ++added;
        continue;
      }
      if (state->digest == e.digest && state->source == e.source) continue;
      // An admin's edits outlive catalogue updates; a card nobody edited
      // follows its file.
      if (!state->card_edited)
        HAI_RETURN_IF_ERROR(models::SetFacts(tx, state->id, e.facts, false, now));
      HAI_RETURN_IF_ERROR(models::SetCatalogState(tx, state->id, e.source, e.digest, now));
      ++updated;
    }
    return Status::Ok();
  }));
  log::Info("model catalogue loaded", {{"entries", static_cast<long long>(entries.size())},
                                       {"added", added},
                                       {"updated", updated},
                                       {"catalog_dir", options_.catalog_dir}});
  return Status::Ok();
}

void ModelRegistry::Tick() {
  const int64_t now = clock_->NowMs();
  if (now - last_refresh_ms_ < kShippedRefreshMs) return;
  last_refresh_ms_ = now;
  RefreshShipped();
}

// Demo weights are written by `haictl up` (hai-model init) after the portal
// has started, so their folders are watched rather than imported. They are
// small; a check runs on the main loop only when a folder changed.
void ModelRegistry::RefreshShipped() {
  for (const CatalogEntry& entry : catalog_) {
    if (entry.weights_dir.empty()) continue;
    const std::string dir = options_.data_dir + "/" + entry.weights_dir;
    std::error_code ec;
    const bool present = fs::is_regular_file(dir + "/config.json", ec);
    std::optional<Model> model;
    Status st = db_->Read([&](Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(std::optional<int64_t> id, models::IdByName(tx, entry.name));
      if (!id) return Status::Ok();
      HAI_ASSIGN_OR_RETURN(model, models::Get(tx, *id));
      return Status::Ok();
    });
    if (!st.ok() || !model) continue;
    const bool ours = model->artifact && model->artifact->dir == entry.weights_dir;
    if (model->available && ours && !present) {
      Status cleared = db_->Write(
          [&](Database::Tx& tx) { return models::ClearArtifact(tx, model->id, clock_->NowMs()); });
      log::Warn("demo weights disappeared",
                {{"model", entry.name}, {"dir", dir}, {"error", cleared.message()}});
      continue;
    }
    if (model->available || !present) continue;
    std::string signature = FolderSignature(dir);
    if (shipped_failures_[entry.name] == signature) continue;
    Status adopted = AdoptShipped(entry, model->id);
    if (adopted.ok()) {
      shipped_failures_.erase(entry.name);
      log::Info("demo weights found", {{"model", entry.name}, {"dir", dir}});
    } else {
      shipped_failures_[entry.name] = signature;
      log::Warn("demo weights are not usable yet",
                {{"model", entry.name}, {"error", adopted.message()}});
    }
  }
}

Status ModelRegistry::AdoptShipped(const CatalogEntry& entry, int64_t id) {
  const std::string dir = options_.data_dir + "/" + entry.weights_dir;
  HAI_ASSIGN_OR_RETURN(CheckpointFacts facts, CheckCheckpoint(dir));
  HAI_ASSIGN_OR_RETURN(std::vector<ModelFile> files, HashTree(dir));
  ModelArtifact artifact{entry.weights_dir,  "safetensors",     facts.model_type,
                         facts.architecture, TotalBytes(files), files};
  return db_->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(Model current, models::Get(tx, id));
    if (current.available) return Status::Ok();  // an import won the race
    ModelVersion version{std::to_string(current.versions.size() + 1), clock_->NowMs(),
                         artifact.total_bytes, ManifestDigest(files)};
    return models::SetArtifact(tx, id, artifact, version, clock_->NowMs());
  });
}

Result<std::vector<Model>> ModelRegistry::List() const {
  std::vector<Model> out;
  HAI_RETURN_IF_ERROR(db_->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(out, models::All(tx));
    return Status::Ok();
  }));
  return out;
}

Result<Model> ModelRegistry::Get(int64_t id) const {
  Model out;
  HAI_RETURN_IF_ERROR(db_->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(out, models::Get(tx, id));
    return Status::Ok();
  }));
  return out;
}

std::string ModelRegistry::WeightsPath(const Model& model) const {
  if (!model.artifact) return "";
  return options_.data_dir + "/" + model.artifact->dir;
}

Result<Model> ModelRegistry::Update(int64_t id, const ModelPatch& patch) {
  Model out;
  const int64_t now = clock_->NowMs();
  HAI_RETURN_IF_ERROR(db_->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(Model current, models::Get(tx, id));
    if (patch.TouchesFacts()) {
      ModelFacts facts = current.facts;
      patch.ApplyTo(&facts);
      HAI_RETURN_IF_ERROR(CheckFacts(facts));
      HAI_RETURN_IF_ERROR(models::SetFacts(tx, id, facts, /*card_edited=*/true, now));
    }
    if (patch.evaluation_results) {
      HAI_RETURN_IF_ERROR(CheckEvaluationResults(*patch.evaluation_results));
      HAI_RETURN_IF_ERROR(models::SetEvaluationResults(tx, id, *patch.evaluation_results, now));
    }
    if (patch.visible_to_all || patch.visible_org_ids) {
      bool to_all = patch.visible_to_all.value_or(!patch.visible_org_ids.has_value());
      std::vector<int64_t> orgs = patch.visible_org_ids.value_or(std::vector<int64_t>());
      HAI_RETURN_IF_ERROR(
          models::SetVisibility(tx, id, to_all, to_all ? std::vector<int64_t>() : orgs, now));
    }
    HAI_ASSIGN_OR_RETURN(out, models::Get(tx, id));
    return Status::Ok();
  }));
  return out;
}

}  // namespace hai::portal
