#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/model_card.h"
#include "daemons/portal/model_catalog.h"
#include "daemons/portal/model_files.h"
#include "daemons/portal/model_usage.h"
#include "lib/base/clock.h"
#include "lib/store/database.h"

namespace hai::portal {

struct ModelRegistryOptions {
  std::string data_dir;     // weights live in <data_dir>/models/
  std::string catalog_dir;  // profiles/catalog as installed
  ImportLimits limits;
};

// Changes an import or a PATCH asks for; absent fields stay as they are.
// For params_b and context_length an explicit null clears the value.
struct ModelPatch {
  std::optional<std::string> display_name;
  std::optional<ModelCategory> category;
  std::optional<std::vector<std::string>> capabilities;
  std::optional<std::string> series;
  std::optional<std::string> vendor;
  std::optional<std::optional<double>> params_b;
  std::optional<std::optional<int64_t>> context_length;
  std::optional<std::string> licence;
  std::optional<std::string> introduction;
  std::optional<std::vector<std::string>> use_cases;
  std::optional<std::vector<std::string>> highlights;
  std::optional<std::vector<std::string>> compatible_engines;
  std::optional<std::vector<EvaluationResult>> evaluation_results;
  std::optional<bool> visible_to_all;
  std::optional<std::vector<int64_t>> visible_org_ids;

  bool TouchesFacts() const;
  // Applies the card-fact fields onto `facts`.
  void ApplyTo(ModelFacts* facts) const;
  // "display_name, capabilities" — for the audit summary.
  std::string FieldNames() const;
};

struct ImportRequest {
  std::string name;     // required for archives; a folder import defaults to the folder's name
  std::string version;  // "" → the next number
  ModelPatch patch;
};

// The model registry: the catalogue applied at start, imports, edits and
// removals, and the demo weights the appliance writes itself. Thread-safe:
// state lives in the database (whose transactions serialise writers) and
// on disk; Tick() runs on the main loop only.
class ModelRegistry {
 public:
  ModelRegistry(store::Database* db, const Clock* clock, ModelRegistryOptions options);

  // Loads the catalogue (strict: a bad file is an error naming it) and
  // writes its card facts: new entries are added, changed files update
  // cards that no admin has edited; availability, weights and visibility
  // already stored are kept. Then looks for demo weights once.
  Status Start();
  // Before serving; `usage` must outlive the registry. Null: nothing is in use.
  void SetUsage(const ModelUsage* usage) { usage_ = usage; }
  // Main loop: notices demo weights appearing in (or leaving) their folder.
  void Tick();

  Result<std::vector<Model>> List() const;
  Result<Model> Get(int64_t id) const;
  // The absolute folder of a model's weights ("" without weights).
  std::string WeightsPath(const Model& model) const;
  const std::string& models_dir() const { return models_dir_; }

  // A folder on the control node: copied, checked, recorded. A name that
  // matches an entry without weights (a catalogue card) gives it weights and
  // keeps its card; a name whose model has weights is a 409.
  Result<Model> ImportDirectory(const std::string& path, ImportRequest request);
  // The same from an uploaded tar archive.
  Result<Model> ImportArchive(std::string_view archive, ImportRequest request);
  Result<Model> Update(int64_t id, const ModelPatch& patch);
  // Removes the weights (refused while in use). An imported model goes
  // entirely; a catalogue or demo card stays, without weights. Returns the
  // model as it was.
  Result<Model> RemoveWeights(int64_t id);

 private:
  Result<Model> Record(class StagedModel& staged, ImportRequest request);
  Status ApplyCatalog(const std::vector<CatalogEntry>& entries);
  void RefreshShipped();
  Status AdoptShipped(const CatalogEntry& entry, int64_t id);

  store::Database* db_;
  const Clock* clock_;
  ModelRegistryOptions options_;
  std::string models_dir_;
  const ModelUsage* usage_ = nullptr;
  std::vector<CatalogEntry> catalog_;  // set by Start(), then read-only
  // Main loop only: the demo folders last found broken, by a signature of
  // their files, so a broken folder is checked again only when it changes.
  std::map<std::string, std::string> shipped_failures_;
  int64_t last_refresh_ms_ = 0;
};

}  // namespace hai::portal
