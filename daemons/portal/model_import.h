#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/model_card.h"
#include "daemons/portal/model_checkpoint_check.h"
#include "daemons/portal/model_files.h"
#include "lib/base/status.h"

namespace hai::portal {

// Weights copied or unpacked into a staging directory under the models
// folder and checked there: what is checked is what will be kept. Dropping
// it removes everything; Commit() moves it into place with one rename, so
// nothing half-imported is ever visible.
class StagedModel {
 public:
  // Copies the folder `source` (an absolute path) into a staging directory
  // inside `models_dir`, then checks it. Errors name the source's files.
  static Result<StagedModel> FromDirectory(const std::string& source, const std::string& models_dir,
                                           const ImportLimits& limits);
  // Unpacks a tar archive the same way. An archive holding one top-level
  // folder (what `tar -cf x.tar model/` makes) is read from inside it.
  static Result<StagedModel> FromArchive(std::string_view archive, const std::string& models_dir,
                                         const ImportLimits& limits);

  const CheckpointFacts& facts() const { return facts_; }
  const std::vector<ModelFile>& files() const { return files_; }

  // Renames the checked folder to `final_dir`, which must not exist. Only
  // the caller's transaction decides whether it stays: see Rollback().
  Status Commit(const std::string& final_dir);
  // Undoes Commit() by removing `final_dir` (the transaction failed).
  void Rollback(const std::string& final_dir);

 private:
  explicit StagedModel(StagingDir staging) : staging_(std::move(staging)) {}
  Status Check(const std::string& label, const std::string& field);

  StagingDir staging_;
  std::string root_;  // the checkpoint folder: staging_ or one folder inside it
  std::vector<ModelFile> files_;
  CheckpointFacts facts_;
};

}  // namespace hai::portal
