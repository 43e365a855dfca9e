// Imports and removals: the file work happens outside the database lock,
// then one transaction records the result and moves the folder into place,
// so the folder is visible exactly when the row says it is.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "daemons/portal/model_import.h"
#include "daemons/portal/model_registry.h"
#include "daemons/portal/model_store.h"
#include "lib/base/random.h"
#include "lib/log/log.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;
using store::Database;

// Four significant digits: a card says "7.616", not "7.615616512".
double RoundParams(double billions) {
  if (billions <= 0) return billions;
  double scale = std::pow(10.0, 3 - std::floor(std::log10(billions)));
  return std::round(billions * scale) / scale;
}

Status CheckVersion(const std::string& version) {
  if (version.size() > 32)
    return Status::InvalidArgument("version: at most 32 characters", "version");
  for (unsigned char c : version)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-')
      return Status::InvalidArgument("version: may hold only letters, digits, '.', '_' and '-'",
                                     "version");
  return Status::Ok();
}

// The card of a model that did not exist: the request's fields, then what
// the checkpoint says, then plain defaults.
Result<ModelFacts> NewCardFacts(const std::string& name, const ModelPatch& patch,
                                const CheckpointFacts& found) {
  ModelFacts f;
  f.display_name = name;
  if (!patch.category && !found.category)
    return Status::InvalidArgument(
        "category: config.json does not tell what this model produces; give category", "category");
  f.category = found.category.value_or(ModelCategory::kTextGeneration);
  f.capabilities = found.capabilities;
  if (found.params_b) f.params_b = RoundParams(*found.params_b);
  f.context_length = found.context_length;
  if (found.builtin_ready) f.compatible_engines = {"builtin"};
  patch.ApplyTo(&f);
  HAI_RETURN_IF_ERROR(CheckFacts(f));
  return f;
}

// Moves a folder aside so that it can be put back or removed.
Result<std::string> MoveAside(const std::string& dir, const std::string& models_dir) {
  std::string aside = models_dir + "/.removed-" + RandomToken(9);
  if (std::rename(dir.c_str(), aside.c_str()) != 0)
    return Status::Unavailable("cannot move " + dir + " aside");
  return aside;
}

void RemoveQuietly(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) log::Warn("cannot remove model files", {{"dir", dir}, {"error", ec.message()}});
}

}  // namespace

Result<Model> ModelRegistry::ImportDirectory(const std::string& path, ImportRequest request) {
  if (request.name.empty()) request.name = fs::path(path).lexically_normal().filename().string();
  if (request.name.empty())
    request.name = fs::path(path).lexically_normal().parent_path().filename().string();
  HAI_RETURN_IF_ERROR(CheckModelName(request.name));
  HAI_RETURN_IF_ERROR(CheckVersion(request.version));
  HAI_ASSIGN_OR_RETURN(StagedModel staged,
                       StagedModel::FromDirectory(path, models_dir_, options_.limits));
  return Record(staged, std::move(request));
}

Result<Model> ModelRegistry::ImportArchive(std::string_view archive, ImportRequest request) {
  if (request.name.empty())
    return Status::InvalidArgument("name: required (query parameter) for an archive", "name");
  HAI_RETURN_IF_ERROR(CheckModelName(request.name));
  HAI_RETURN_IF_ERROR(CheckVersion(request.version));
  HAI_ASSIGN_OR_RETURN(StagedModel staged,
                       StagedModel::FromArchive(archive, models_dir_, options_.limits));
  return Record(staged, std::move(request));
}

Result<Model> ModelRegistry::Record(StagedModel& staged, ImportRequest request) {
  const ModelPatch& patch = request.patch;
  if (patch.evaluation_results)
    HAI_RETURN_IF_ERROR(CheckEvaluationResults(*patch.evaluation_results));
  const int64_t now = clock_->NowMs();
  std::string final_dir;
  bool moved = false;
  Model out;
  Status st = db_->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(std::optional<int64_t> existing, models::IdByName(tx, request.name));
    int64_t id = 0;
    if (existing) {
      HAI_ASSIGN_OR_RETURN(Model current, models::Get(tx, *existing));
      if (current.available)
        return Status::AlreadyExists("model '" + current.name +
                                         "' already has weights on this appliance; delete them "
                                         "first or import under another name",
                                     "name");
      id = current.id;
      if (patch.TouchesFacts()) {
        ModelFacts facts = current.facts;
        patch.ApplyTo(&facts);
        HAI_RETURN_IF_ERROR(CheckFacts(facts));
        HAI_RETURN_IF_ERROR(models::SetFacts(tx, id, facts, /*card_edited=*/true, now));
      }
    } else {
      HAI_ASSIGN_OR_RETURN(ModelFacts facts, NewCardFacts(request.name, patch, staged.facts()));
      HAI_ASSIGN_OR_RETURN(id, models::Insert(tx, request.name, facts, ModelSource::kImport, "",
                                              patch.TouchesFacts(), now));
    }
    if (patch.evaluation_results)
      HAI_RETURN_IF_ERROR(models::SetEvaluationResults(tx, id, *patch.evaluation_results, now));
    if (patch.visible_to_all || patch.visible_org_ids) {
      bool to_all = patch.visible_to_all.value_or(!patch.visible_org_ids.has_value());
      HAI_RETURN_IF_ERROR(models::SetVisibility(
          tx, id, to_all,
          to_all ? std::vector<int64_t>() : patch.visible_org_ids.value_or(std::vector<int64_t>()),
          now));
    }
    HAI_ASSIGN_OR_RETURN(Model before, models::Get(tx, id));
    const std::string rel = "models/" + std::to_string(id);
    final_dir = options_.data_dir + "/" + rel;
    std::error_code ec;
    // Left by a crash between a rename and its commit: nothing refers to it.
    if (fs::exists(final_dir, ec)) RemoveQuietly(final_dir);
    HAI_RETURN_IF_ERROR(staged.Commit(final_dir));
    moved = true;
    const CheckpointFacts& found = staged.facts();
    ModelArtifact artifact{rel,
                           "safetensors",
                           found.model_type,
                           found.architecture,
                           TotalBytes(staged.files()),
                           staged.files()};
    std::string label =
        request.version.empty() ? std::to_string(before.versions.size() + 1) : request.version;
    ModelVersion version{label, now, artifact.total_bytes, ManifestDigest(staged.files())};
    HAI_RETURN_IF_ERROR(models::SetArtifact(tx, id, artifact, version, now));
    HAI_ASSIGN_OR_RETURN(out, models::Get(tx, id));
    return Status::Ok();
  });
  if (!st.ok()) {
    if (moved) staged.Rollback(final_dir);
    return st;
  }
  log::Info("model imported", {{"model", out.name},
                               {"id", static_cast<long long>(out.id)},
                               {"bytes", static_cast<long long>(out.artifact->total_bytes)}});
  return out;
}

Result<Model> ModelRegistry::RemoveWeights(int64_t id) {
  Model before;
  std::string aside, weights;
  const int64_t now = clock_->NowMs();
  Status st = db_->Write([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(before, models::Get(tx, id));
    if (!before.available && before.source != ModelSource::kImport)
      return Status::FailedPrecondition(
          "model '" + before.name + "' has no weights on this appliance; its " +
          std::string(SourceName(before.source)) + " card stays listed");
    if (usage_) {
      HAI_ASSIGN_OR_RETURN(std::vector<std::string> users, usage_->UsersOf(tx, id));
      if (!users.empty()) {
        std::string list;
        for (const std::string& u : users) list += (list.empty() ? "" : ", ") + u;
        return Status::FailedPrecondition("model '" + before.name + "' is in use by " + list);
      }
    }
    if (before.source == ModelSource::kImport)
      HAI_RETURN_IF_ERROR(models::Remove(tx, id));
    else
      HAI_RETURN_IF_ERROR(models::ClearArtifact(tx, id, now));
    weights = WeightsPath(before);
    if (before.artifact && (before.artifact->dir.rfind("models/", 0) != 0 ||
                            before.artifact->dir.find("..") != std::string::npos))
      return Status::Internal("model " + before.name + ": weights folder '" +
                              before.artifact->dir + "' is outside the models folder");
    std::error_code ec;
    if (!weights.empty() && fs::exists(weights, ec)) {
      HAI_ASSIGN_OR_RETURN(aside, MoveAside(weights, models_dir_));
    }
    return Status::Ok();
  });
  if (!st.ok()) {
    // The transaction rolled back: the weights go back where they were.
    if (!aside.empty() && std::rename(aside.c_str(), weights.c_str()) != 0)
      log::Error("cannot restore model files", {{"from", aside}, {"to", weights}});
    return st;
  }
  if (!aside.empty()) RemoveQuietly(aside);
  log::Info("model weights removed", {{"model", before.name}, {"id", static_cast<long long>(id)}});
  return before;
}

}  // namespace hai::portal
