#pragma once

// For tests: a model's files as the portal records them after an import
// (model_files rows with real sizes and SHA-256), written straight into the
// control-plane database the way the portal writes them.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/base/random.h"
#include "lib/cluster/model_manifest.h"
#include "lib/store/database.h"

namespace hai::scheduler::testing {

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every regular file under `dir`, relative path, size and SHA-256.
inline std::vector<cluster::ModelFileEntry> HashFolder(const std::string& dir) {
  std::vector<cluster::ModelFileEntry> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = ReadBytes(e.path().string());
    out.push_back({std::filesystem::relative(e.path(), dir).string(),
                   static_cast<int64_t>(bytes.size()), Sha256Hex(bytes)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

// A models row (available when `artifact_dir` is not empty) and its files.
inline Status InsertModel(store::Database* db, int64_t id, const std::string& name,
                          const std::string& artifact_dir,
                          const std::vector<cluster::ModelFileEntry>& files) {
  return db->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(
        store::Statement m,
        tx.Prepare("INSERT INTO models(id, name, display_name, category, source, available, "
                   "artifact_dir, created_at, updated_at) VALUES (?, ?, ?, 'text-generation', "
                   "'import', ?, ?, 0, 0)"));
    m.Bind(1, id).Bind(2, name).Bind(3, name).Bind(4, !artifact_dir.empty());
    if (artifact_dir.empty())
      m.BindNull(5);
    else
      m.Bind(5, artifact_dir);
    HAI_RETURN_IF_ERROR(m.Run());
    for (const cluster::ModelFileEntry& f : files) {
      HAI_ASSIGN_OR_RETURN(store::Statement s,
                           tx.Prepare("INSERT INTO model_files(model_id, path, bytes, sha256) "
                                      "VALUES (?, ?, ?, ?)"));
      HAI_RETURN_IF_ERROR(s.Bind(1, id).Bind(2, f.path).Bind(3, f.bytes).Bind(4, f.sha256).Run());
    }
    return Status::Ok();
  });
}

}  // namespace hai::scheduler::testing
