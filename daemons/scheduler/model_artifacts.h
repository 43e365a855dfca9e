#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/cluster/model_manifest.h"
#include "lib/store/database.h"

namespace hai::scheduler {

// One model's weights on the control node, as agents on other nodes fetch
// them: the folder and the manifest of what it must hold.
struct ModelArtifact {
  std::string dir;  // absolute
  cluster::ModelManifest manifest;
};

// The files the portal recorded for `model_id` (model_files), unsorted; empty
// when the model has none or does not exist.
Result<std::vector<cluster::ModelFileEntry>> ReadModelFiles(store::Database::Tx& tx,
                                                            int64_t model_id);

// Reads the portal's model registry (models, model_files); never writes it.
// `artifact_dir` is relative to the data directory the portal and the
// scheduler share on the control node. Thread-safe (the database serialises).
class ModelArtifacts {
 public:
  ModelArtifacts(store::Database* db, std::string data_dir)
      : db_(db), data_dir_(std::move(data_dir)) {}

  // NotFound for an unknown model and for one whose weights are not on the
  // appliance (not available, or no files recorded).
  Result<ModelArtifact> Find(int64_t model_id) const;

 private:
  store::Database* db_;
  std::string data_dir_;
};

}  // namespace hai::scheduler
