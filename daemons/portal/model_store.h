#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/model_card.h"
#include "lib/store/database.h"

// The model registry's tables (migration 4): models, model_visibility,
// model_files. Called inside the caller's transaction.
namespace hai::portal::models {

using store::Database;

// Every model with its visibility; files are left out (list views).
Result<std::vector<Model>> All(Database::Tx& tx);
// One model with its files.
Result<Model> Get(Database::Tx& tx, int64_t id);
Result<std::optional<int64_t>> IdByName(Database::Tx& tx, const std::string& name);

// The bookkeeping behind catalogue updates.
struct CatalogState {
  int64_t id = 0;
  ModelSource source = ModelSource::kImport;
  std::string digest;        // of the catalogue file last applied
  bool card_edited = false;  // an admin edited the card: the catalogue leaves it alone
};
Result<std::optional<CatalogState>> CatalogStateOf(Database::Tx& tx, const std::string& name);

// A new entry without weights, visible to every organisation.
Result<int64_t> Insert(Database::Tx& tx, const std::string& name, const ModelFacts& facts,
                       ModelSource source, const std::string& catalog_digest, bool card_edited,
                       int64_t now);
Status SetFacts(Database::Tx& tx, int64_t id, const ModelFacts& facts, bool card_edited,
                int64_t now);
Status SetCatalogState(Database::Tx& tx, int64_t id, ModelSource source, const std::string& digest,
                       int64_t now);
Status SetEvaluationResults(Database::Tx& tx, int64_t id,
                            const std::vector<EvaluationResult>& results, int64_t now);
// `org_ids` must name existing organisations (else a 400 naming visible_org_ids).
Status SetVisibility(Database::Tx& tx, int64_t id, bool to_all, const std::vector<int64_t>& org_ids,
                     int64_t now);
// The weights are present: artifact and files recorded, `version` appended.
Status SetArtifact(Database::Tx& tx, int64_t id, const ModelArtifact& artifact,
                   const ModelVersion& version, int64_t now);
// The weights are gone: not available, files forgotten, versions kept.
Status ClearArtifact(Database::Tx& tx, int64_t id, int64_t now);
Status Remove(Database::Tx& tx, int64_t id);

}  // namespace hai::portal::models
