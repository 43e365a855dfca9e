#include "netconf/file_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hai::netconf {

namespace fs = std::filesystem;

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!PathExists(path)) return Status::NotFound(path + ": no such file");
    return Status::Unavailable(path + ": cannot read: " + strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status WriteFileAtomic(const std::string& path, const std::string& text, unsigned mode) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Status::Unavailable("cannot create " + fs::path(path).parent_path().string() + ": " + ec.message());
  std::string tmp = path + ".hai-netconf.tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::Unavailable("cannot write " + tmp + ": " + strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = strerror(errno);
      close(fd);
      unlink(tmp.c_str());
      return Status::Unavailable("cannot write " + tmp + ": " + why);
    }
    done += static_cast<size_t>(n);
  }
  // The umask must not narrow what the file is for (0644: readable by the agent).
  bool ok = fchmod(fd, mode) == 0 && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = strerror(errno);
    unlink(tmp.c_str());
    return Status::Unavailable("cannot write " + path + ": " + why);
  }
  return Status::Ok();
}

Status WriteAttribute(const std::string& path, const std::string& value) {
  int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return Status::Unavailable(path + ": " + strerror(errno));
  ssize_t n = write(fd, value.data(), value.size());
  std::string why = n < 0 ? strerror(errno) : "short write";
  close(fd);
  if (n != static_cast<ssize_t>(value.size()))
    return Status::Unavailable("writing '" + value + "' to " + path + ": " + why);
  return Status::Ok();
}

bool PathExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string UnderRoot(const std::string& root, const std::string& path) {
  if (root.empty() || root == "/") return path;
  return (root.back() == '/' ? root.substr(0, root.size() - 1) : root) + path;
}

}  // namespace hai::netconf
