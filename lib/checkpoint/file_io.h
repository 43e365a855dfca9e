#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "lib/base/status.h"

namespace hai::checkpoint {

// The whole file as text. A missing file is kNotFound, so that callers can
// tell "absent" (often allowed) from "unreadable"; messages name the path.
Result<std::string> ReadWholeFile(const std::string& path);

// A file that appears at `path` whole or not at all: bytes go to a temporary
// file beside it, Commit() syncs and renames it into place, and destruction
// without Commit() removes the temporary. Not thread-safe.
class AtomicFile {
 public:
  static Result<AtomicFile> Create(const std::string& path);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();

  Status Append(std::span<const std::byte> bytes);
  Status Append(std::string_view text);
  Status Commit();

 private:
  AtomicFile(std::string path, std::string temp_path, int fd)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
};

// ReadWholeFile's counterpart: `content` written through an AtomicFile.
Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace hai::checkpoint
