// Whole-file reads and atomic writes for checkpoint files.
#include "lib/checkpoint/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace hai::checkpoint {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": not found");
    return Status::Unavailable(path + ": cannot open: " + ErrnoText());
  }
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      // EISDIR lands here for a directory named like a file.
      Status error = Status::Unavailable(path + ": cannot read: " + ErrnoText());
      ::close(fd);
      return error;
    }
    text.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  return text;
}

Result<AtomicFile> AtomicFile::Create(const std::string& path) {
  std::string temp_path = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Unavailable(temp_path + ": cannot create: " + ErrnoText());
  return AtomicFile(path, std::move(temp_path), fd);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(std::exchange(other.fd_, -1)) {}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_path_.c_str());
  }
}

Status AtomicFile::Append(std::span<const std::byte> bytes) {
  if (fd_ < 0) return Status::Internal(path_ + ": append after commit");
  const std::byte* data = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t wrote = ::write(fd_, data, left);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return Status::Unavailable(temp_path_ + ": cannot write: " + ErrnoText());
    }
    data += wrote;
    left -= static_cast<size_t>(wrote);
  }
  return Status::Ok();
}

Status AtomicFile::Append(std::string_view text) {
  return Append(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

Status AtomicFile::Commit() {
  if (fd_ < 0) return Status::Internal(path_ + ": committed twice");
  // fsync before rename: after a crash the name points at complete data.
  if (::fsync(fd_) != 0) return Status::Unavailable(temp_path_ + ": cannot sync: " + ErrnoText());
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    ::unlink(temp_path_.c_str());
    return Status::Unavailable(temp_path_ + ": cannot close: " + ErrnoText());
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    Status error = Status::Unavailable(path_ + ": cannot rename into place: " + ErrnoText());
    ::unlink(temp_path_.c_str());
    return error;
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  HAI_ASSIGN_OR_RETURN(AtomicFile file, AtomicFile::Create(path));
  HAI_RETURN_IF_ERROR(file.Append(content));
  return file.Commit();
}

}  // namespace hai::checkpoint
