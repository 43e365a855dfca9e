#include "daemons/agent/verified_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace hai::agent {
VerifiedFileWriter::VerifiedFileWriter(std::string path, std::string label, int64_t expected_bytes,
                                       std::string expected_sha256)
    : path_(std::move(path)),
      label_(std::move(label)),
      expected_bytes_(expected_bytes),
      expected_sha256_(std::move(expected_sha256)) {
}

VerifiedFileWriter::~VerifiedFileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status VerifiedFileWriter::Open() {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd_ < 0)
    return Status::Unavailable("file '" + label_ + "': cannot create " + path_ + ": " +
                               std::strerror(errno));
  return Status::Ok();
}

Status VerifiedFileWriter::Append(std::string_view data) {
  if (written_ + static_cast<int64_t>(data.size()) > expected_bytes_)
    return Status::FailedPrecondition("file '" + label_ + "': more than the " +
                                      std::to_string(expected_bytes_) +
                                      " bytes the manifest lists arrived");
  hash_.Update(data);
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      return Status(err == ENOSPC || err == EDQUOT ? Code::kResourceExhausted : Code::kUnavailable,
                    "file '" + label_ + "': cannot write " + path_ + ": " + std::strerror(err));
    }
    data.remove_prefix(static_cast<size_t>(n));
    written_ += n;
  }
  return Status::Ok();
}

Status VerifiedFileWriter::Finish() {
  if (written_ != expected_bytes_)
    return Status::FailedPrecondition("file '" + label_ + "': " + std::to_string(written_) +
                                      " of the " + std::to_string(expected_bytes_) +
                                      " bytes the manifest lists arrived");
  const std::string got = hash_.FinishHex();
  if (got != expected_sha256_)
    return Status::FailedPrecondition("file '" + label_ + "': checksum mismatch: SHA-256 " + got +
                                      ", the manifest says " + expected_sha256_);
  if (::fsync(fd_) != 0)
    return Status::Unavailable("file '" + label_ + "': cannot sync " + path_ + ": " +
                               std::strerror(errno));
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0)
    return Status::Unavailable("file '" + label_ + "': cannot close " + path_ + ": " +
                               std::strerror(errno));
  return Status::Ok();
}

}  // namespace hai::agent
