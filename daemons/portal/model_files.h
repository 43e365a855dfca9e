#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/model_card.h"
#include "lib/base/status.h"

namespace hai::portal {

// What one import may bring: a guard for the disk, not a quota.
struct ImportLimits {
  int64_t max_bytes = int64_t{2} << 40;  // 2 TiB
  int64_t max_files = 10000;
};

// A fresh directory `<parent>/.import-<random>` that is removed with all it
// holds unless Keep() is called (after it was renamed into place). So a
// failed import leaves nothing behind. Not thread-safe; one per import.
class StagingDir {
 public:
  static Result<StagingDir> Create(const std::string& parent);
  StagingDir(StagingDir&& other) noexcept;
  StagingDir& operator=(StagingDir&&) = delete;
  ~StagingDir();

  const std::string& path() const { return path_; }
  void Keep() { path_.clear(); }

 private:
  explicit StagingDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Streams a file through SHA-256: lower-case hex.
Result<std::string> Sha256File(const std::string& path);
// The same for bytes in memory, without copying them.
std::string Sha256Of(std::string_view data);

// Copies the regular files and folders under `from` into the existing
// directory `to`, hashing each file as it is written and syncing it to disk.
// A symbolic link to a regular file is copied as that file (Hugging Face
// caches are built of them); any other link or special file is an error
// naming it.
Result<std::vector<ModelFile>> CopyTree(const std::string& from, const std::string& to,
                                        const ImportLimits& limits);

// Every regular file under `dir` with its size and SHA-256, sorted by path.
Result<std::vector<ModelFile>> HashTree(const std::string& dir);

// Writes `data` to a new file `path` (which must not exist) and syncs it.
Status WriteNewFile(const std::string& path, std::string_view data);
// fsync on a directory, so that renames and new entries in it survive a crash.
Status SyncDirectory(const std::string& dir);

// The SHA-256 of the "sha256  path\n" lines of `files` (sha256sum's format):
// one digest that names an artifact's exact content.
std::string ManifestDigest(const std::vector<ModelFile>& files);
int64_t TotalBytes(const std::vector<ModelFile>& files);

}  // namespace hai::portal
