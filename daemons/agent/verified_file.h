#pragma once


#include <cstdint>
#include <string>
#include <string_view>

#include "lib/base/sha256.h"
#include "lib/base/status.h"

namespace hai::agent {

// Writes one downloaded file and checks it on the way: never more than the
// expected size, and at the end exactly that size with the expected SHA-256,
// synced to disk. A file that fails any check must be thrown away (the model
// cache throws away the whole temporary folder). Errors name `label` (the
// file as the manifest calls it). One thread; not copyable.
class VerifiedFileWriter {
 public:
  VerifiedFileWriter(std::string path, std::string label, int64_t expected_bytes,
                     std::string expected_sha256);
  ~VerifiedFileWriter();
  VerifiedFileWriter(const VerifiedFileWriter&) = delete;
  VerifiedFileWriter& operator=(const VerifiedFileWriter&) = delete;

  // Creates the file, which must not exist yet.
  Status Open();
  Status Append(std::string_view data);
  // Checks size and hash, then fsync and close.
  Status Finish();
  int64_t written() const { return written_; }

 private:
  const std::string path_;
  const std::string label_;
  const int64_t expected_bytes_;
  const std::string expected_sha256_;
  int fd_ = -1;
  int64_t written_ = 0;
  Sha256 hash_;
};

}  // namespace hai::agent
