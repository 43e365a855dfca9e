#include "daemons/scheduler/model_artifacts.h"

namespace hai::scheduler {

Result<std::vector<cluster::ModelFileEntry>> ReadModelFiles(store::Database::Tx& tx,
                                                            int64_t model_id) {
  std::vector<cluster::ModelFileEntry> out;
  HAI_ASSIGN_OR_RETURN(
      store::Statement s,
      tx.Prepare("SELECT path, bytes, sha256 FROM model_files WHERE model_id = ?"));
  s.Bind(1, model_id);
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Text(0), s.Int(1), s.Text(2)});
  }
  return out;
}

Result<ModelArtifact> ModelArtifacts::Find(int64_t model_id) const {
  ModelArtifact out;
  bool found = false;
  std::vector<cluster::ModelFileEntry> files;
  HAI_RETURN_IF_ERROR(db_->Read([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(store::Statement s,
                         tx.Prepare("SELECT artifact_dir FROM models WHERE id = ? AND "
                                    "available = 1 AND artifact_dir IS NOT NULL"));
    s.Bind(1, model_id);
    HAI_ASSIGN_OR_RETURN(found, s.Step());
    if (!found) return Status::Ok();
    out.dir = s.Text(0);
    HAI_ASSIGN_OR_RETURN(files, ReadModelFiles(tx, model_id));
    return Status::Ok();
  }));
  if (!found || files.empty())
    return Status::NotFound("model " + std::to_string(model_id) +
                            " has no weights on the control node");
  // The portal stores the folder relative to its data directory.
  if (out.dir.empty() || out.dir.front() != '/') out.dir = data_dir_ + "/" + out.dir;
  out.manifest = cluster::MakeModelManifest(model_id, std::move(files));
  return out;
}

}  // namespace hai::scheduler
