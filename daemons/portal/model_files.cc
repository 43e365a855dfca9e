#include "daemons/portal/model_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "lib/base/random.h"
#include "lib/base/sha256.h"
#include "lib/log/log.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;

constexpr size_t kChunk = 1 << 20;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// A file descriptor closed on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  Status Close(const std::string& path) {
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return Status::Unavailable(Errno("cannot close " + path));
    return Status::Ok();
  }

 private:
  int fd_;
};

Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Unavailable(Errno("cannot write " + path));
    data += n;
    size -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Copies one file, hashing on the way; `label` names it in errors.
Result<std::string> CopyFile(const std::string& from, const std::string& to,
                             const std::string& label) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Status::InvalidArgument(Errno(label + ": cannot read"), "path");
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
  if (out.get() < 0) return Status::Unavailable(Errno("cannot create " + to));
  Sha256 hash;
  std::vector<char> buf(kChunk);
  for (;;) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::InvalidArgument(Errno(label + ": cannot read"), "path");
    if (n == 0) break;
    hash.Update({buf.data(), static_cast<size_t>(n)});
    HAI_RETURN_IF_ERROR(WriteAll(out.get(), buf.data(), static_cast<size_t>(n), to));
  }
  if (::fsync(out.get()) != 0) return Status::Unavailable(Errno("cannot sync " + to));
  HAI_RETURN_IF_ERROR(out.Close(to));
  return hash.FinishHex();
}

Status CheckLimits(const ImportLimits& limits, size_t files, int64_t bytes) {
  if (static_cast<int64_t>(files) > limits.max_files)
    return Status::InvalidArgument("the model holds more than " + std::to_string(limits.max_files) +
                                       " files (portal.model_import_max_files)",
                                   "path");
  if (bytes > limits.max_bytes)
    return Status(Code::kPayloadTooLarge, "the model is larger than " +
                                              std::to_string(limits.max_bytes) +
                                              " bytes (portal.model_import_max_bytes)");
  return Status::Ok();
}

}  // namespace

Result<StagingDir> StagingDir::Create(const std::string& parent) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) return Status::Unavailable("cannot create " + parent + ": " + ec.message());
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string name = RandomToken(9);
    std::replace(name.begin(), name.end(), '-', 'x');
    std::string path = parent + "/.import-" + name;
    if (::mkdir(path.c_str(), 0750) == 0) return StagingDir(path);
    if (errno != EEXIST) return Status::Unavailable(Errno("cannot create " + path));
  }
  return Status::Unavailable("cannot make a staging directory in " + parent);
}

StagingDir::StagingDir(StagingDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

StagingDir::~StagingDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
  if (ec) log::Warn("cannot remove a staging directory", {{"dir", path_}, {"error", ec.message()}});
}

Result<std::string> Sha256File(const std::string& path) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Status::Unavailable(Errno("cannot read " + path));
  Sha256 hash;
  std::vector<char> buf(kChunk);
  for (;;) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Unavailable(Errno("cannot read " + path));
    if (n == 0) break;
    hash.Update({buf.data(), static_cast<size_t>(n)});
  }
  return hash.FinishHex();
}

std::string Sha256Of(std::string_view data) {
  Sha256 hash;
  hash.Update(data);
  return hash.FinishHex();
}

Result<std::vector<ModelFile>> CopyTree(const std::string& from, const std::string& to,
                                        const ImportLimits& limits) {
  std::vector<ModelFile> files;
  int64_t bytes = 0;
  std::error_code ec;
  fs::recursive_directory_iterator it(from, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path rel = it->path().lexically_relative(from);
    const std::string label = it->path().string();
    fs::file_status link = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(link)) {
      fs::create_directory(fs::path(to) / rel, ec);
      if (ec) return Status::Unavailable("cannot create " + (fs::path(to) / rel).string());
      continue;
    }
    // A link counts as the file it points at; anything else is refused.
    fs::file_status target = fs::is_symlink(link) ? fs::status(it->path(), ec) : link;
    if (ec || !fs::is_regular_file(target))
      return Status::InvalidArgument(
          label + ": is not a regular file (links to folders, devices and sockets are refused)",
          "path");
    const int64_t size = static_cast<int64_t>(fs::file_size(it->path(), ec));
    if (ec) return Status::InvalidArgument(label + ": cannot read its size", "path");
    bytes += size;
    HAI_RETURN_IF_ERROR(CheckLimits(limits, files.size() + 1, bytes));
    HAI_ASSIGN_OR_RETURN(std::string sha,
                         CopyFile(it->path().string(), (fs::path(to) / rel).string(), label));
    files.push_back({rel.generic_string(), size, sha});
  }
  if (ec) return Status::InvalidArgument(from + ": cannot read: " + ec.message(), "path");
  std::sort(files.begin(), files.end(),
            [](const ModelFile& a, const ModelFile& b) { return a.path < b.path; });
  return files;
}

Result<std::vector<ModelFile>> HashTree(const std::string& dir) {
  std::vector<ModelFile> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    const std::string rel = it->path().lexically_relative(dir).generic_string();
    HAI_ASSIGN_OR_RETURN(std::string sha, Sha256File(it->path().string()));
    files.push_back({rel, static_cast<int64_t>(it->file_size(ec)), sha});
  }
  if (ec) return Status::Unavailable(dir + ": cannot read: " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const ModelFile& a, const ModelFile& b) { return a.path < b.path; });
  return files;
}

Status WriteNewFile(const std::string& path, std::string_view data) {
  Fd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
  if (out.get() < 0) return Status::Unavailable(Errno("cannot create " + path));
  HAI_RETURN_IF_ERROR(WriteAll(out.get(), data.data(), data.size(), path));
  if (::fsync(out.get()) != 0) return Status::Unavailable(Errno("cannot sync " + path));
  return out.Close(path);
}

Status SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Status::Unavailable(Errno("cannot open " + dir));
  if (::fsync(fd.get()) != 0) return Status::Unavailable(Errno("cannot sync " + dir));
  return fd.Close(dir);
}

std::string ManifestDigest(const std::vector<ModelFile>& files) {
  std::string manifest;
  for (const ModelFile& f : files) manifest += f.sha256 + "  " + f.path + "\n";
  return Sha256Hex(manifest);
}

int64_t TotalBytes(const std::vector<ModelFile>& files) {
  int64_t total = 0;
  for (const ModelFile& f : files) total += f.bytes;
  return total;
}

}  // namespace hai::portal
