#pragma once

#include <sys/types.h>

#include <string>

#include "installer/hai-install/step.h"
#include "lib/base/status.h"

namespace hai::install {

// What is at a path now.
struct FileState {
  bool exists = false;
  bool is_dir = false;
  std::string content;  // regular files only
  mode_t mode = 0;      // permission bits
  uid_t uid = 0;
  gid_t gid = 0;
};

// lstat and read; a missing path is a state (exists = false), not an error.
Result<FileState> ReadFileState(const std::string& path);

// Writes through a temporary file in the same directory renamed into place,
// with mode and owner set before the rename: readers see the old file or the
// whole new one, never a secret with loose permissions.
Status WriteFileAtomic(const std::string& path, const std::string& content, mode_t mode, uid_t uid,
                       gid_t gid);
// Makes the directory when missing, then sets its mode and owner.
Status SetDirectory(const std::string& path, mode_t mode, uid_t uid, gid_t gid);
// Removes a file, or an (empty) directory.
Status RemovePath(const std::string& path);

enum class FileChange { kUnchanged, kCreate, kReplace, kMetadata, kRemove };
std::string FileChangeName(FileChange change);
// What writing `spec` over `state` would do.
FileChange CompareFile(const FileSpec& spec, const FileState& state);

// "0640" for 0640.
std::string ModeText(mode_t mode);

}  // namespace hai::install
