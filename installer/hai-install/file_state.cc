#include "installer/hai-install/file_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hai::install {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::Internal(path + ": " + what + ": " + strerror(errno));
}

Status ReadAll(int fd, const std::string& path, std::string* out) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n == 0) return Status::Ok();
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("read", path);
    }
    out->append(buf, static_cast<size_t>(n));
  }
}

Status WriteAll(int fd, const std::string& path, const std::string& content) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("write", path);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

std::string ModeText(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Result<FileState> ReadFileState(const std::string& path) {
  FileState state;
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return state;
    return Errno("stat", path);
  }
  state.exists = true;
  state.is_dir = S_ISDIR(st.st_mode);
  state.mode = st.st_mode & 07777;
  state.uid = st.st_uid;
  state.gid = st.st_gid;
  if (S_ISREG(st.st_mode)) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Errno("open", path);
    Status read = ReadAll(fd, path, &state.content);
    close(fd);
    HAI_RETURN_IF_ERROR(read);
  }
  return state;
}

Status WriteFileAtomic(const std::string& path, const std::string& content, mode_t mode, uid_t uid,
                       gid_t gid) {
  size_t slash = path.rfind('/');
  std::string tmp = path.substr(0, slash + 1) + "." + path.substr(slash + 1) + ".hai-install";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Errno("create", tmp);
  Status st = WriteAll(fd, tmp, content);
  if (st.ok() && fchown(fd, uid, gid) != 0) st = Errno("chown", tmp);
  if (st.ok() && fchmod(fd, mode) != 0) st = Errno("chmod", tmp);
  if (st.ok() && fsync(fd) != 0) st = Errno("fsync", tmp);
  close(fd);
  if (st.ok() && rename(tmp.c_str(), path.c_str()) != 0) st = Errno("rename", path);
  if (!st.ok()) unlink(tmp.c_str());
  return st;
}

Status SetDirectory(const std::string& path, mode_t mode, uid_t uid, gid_t gid) {
  if (mkdir(path.c_str(), 0700) != 0) {
    if (errno != EEXIST) return Errno("mkdir", path);
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return Errno("stat", path);
    if (!S_ISDIR(st.st_mode))
      return Status::FailedPrecondition(path + ": exists and is not a directory");
  }
  if (chown(path.c_str(), uid, gid) != 0) return Errno("chown", path);
  if (chmod(path.c_str(), mode) != 0) return Errno("chmod", path);
  return Status::Ok();
}

Status RemovePath(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return errno == ENOENT ? Status::Ok() : Errno("stat", path);
  if (S_ISDIR(st.st_mode) ? rmdir(path.c_str()) != 0 : unlink(path.c_str()) != 0)
    return Errno("remove", path);
  return Status::Ok();
}

std::string FileChangeName(FileChange change) {
  switch (change) {
    case FileChange::kUnchanged:
      return "unchanged";
    case FileChange::kCreate:
      return "create";
    case FileChange::kReplace:
      return "replace";
    case FileChange::kMetadata:
      return "set mode/owner";
    case FileChange::kRemove:
      return "remove";
  }
  return "unchanged";
}

FileChange CompareFile(const FileSpec& spec, const FileState& state) {
  using Kind = FileSpec::Kind;
  if (spec.kind == Kind::kAbsent)
    return state.exists ? FileChange::kRemove : FileChange::kUnchanged;
  if (!state.exists) return FileChange::kCreate;
  bool is_dir = spec.kind == Kind::kDirectory;
  if (state.is_dir != is_dir) return FileChange::kReplace;
  if (!is_dir && state.content != spec.content) return FileChange::kReplace;
  if (state.mode != (spec.mode & 07777) || state.uid != spec.uid || state.gid != spec.gid)
    return FileChange::kMetadata;
  return FileChange::kUnchanged;
}

}  // namespace hai::install
