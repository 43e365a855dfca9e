#include "daemons/agent/engine_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "lib/log/log.h"

namespace hai::agent {
namespace {

constexpr int64_t kMaxTailBytes = int64_t{16} << 20;
constexpr size_t kChunk = 64 * 1024;

std::string Rotated(const std::string& path, int i) { return path + "." + std::to_string(i); }

// Reads [from, to) of `fd`; short when the file is shorter.
std::string ReadRange(int fd, int64_t from, int64_t to) {
  std::string out;
  out.resize(static_cast<size_t>(std::max<int64_t>(0, to - from)));
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = pread(fd, out.data() + got, out.size() - got, from + static_cast<int64_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

// The last `lines` lines of one file up to `end` (-1: its length), reading
// backwards in chunks; `*found` is how many lines that text holds.
std::string TailOfFile(const std::string& path, int lines, int64_t end, int64_t budget,
                       int* found) {
  *found = 0;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  struct stat st {};
  fstat(fd, &st);
  int64_t stop = end < 0 ? st.st_size : std::min<int64_t>(end, st.st_size);
  // A final line without its newline still counts as a line.
  std::string text;
  int64_t pos = stop;
  int newlines = 0;
  bool open_line = false;
  while (pos > 0 && static_cast<int64_t>(text.size()) < budget) {
    int64_t from = std::max<int64_t>(0, pos - static_cast<int64_t>(kChunk));
    std::string chunk = ReadRange(fd, from, pos);
    if (chunk.empty()) break;
    if (pos == stop) open_line = chunk.back() != '\n';
    text.insert(0, chunk);
    pos = from;
    newlines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    if (newlines + (open_line ? 1 : 0) > lines) break;
  }
  close(fd);
  // Cut to the last `lines` lines: skip past the right number of newlines
  // from the end.
  int total = newlines + (open_line ? 1 : 0);
  size_t start = 0;
  if (total > lines) {
    int skip = total - lines;  // lines to drop from the front of `text`
    size_t at = 0;
    for (int i = 0; i < skip; ++i) at = text.find('\n', at) + 1;
    start = at;
    total = lines;
  } else if (pos > 0) {
    // The budget ran out mid-line: drop the partial first line.
    size_t nl = text.find('\n');
    start = nl == std::string::npos ? text.size() : nl + 1;
    total = std::max(0, total - 1);
  }
  *found = total;
  return text.substr(start);
}

}  // namespace

RotatingLog::RotatingLog(std::string path, int64_t max_bytes, int keep)
    : path_(std::move(path)), max_bytes_(max_bytes), keep_(keep) {}

RotatingLog::~RotatingLog() {
  if (fd_ >= 0) close(fd_);
}

Status RotatingLog::Open() {
  std::lock_guard lock(mu_);
  if (fd_ >= 0) return Status::Ok();
  fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) return Status::Unavailable("cannot open " + path_ + ": " + std::strerror(errno));
  struct stat st {};
  fstat(fd_, &st);
  size_ = st.st_size;
  return Status::Ok();
}

void RotatingLog::RotateLocked() {
  close(fd_);
  fd_ = -1;
  if (keep_ == 0) {
    unlink(path_.c_str());
  } else {
    unlink(Rotated(path_, keep_).c_str());
    for (int i = keep_ - 1; i >= 1; --i)
      rename(Rotated(path_, i).c_str(), Rotated(path_, i + 1).c_str());
    rename(path_.c_str(), Rotated(path_, 1).c_str());
  }
  fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  size_ = 0;
}

void RotatingLog::Write(std::string_view data) {
  if (data.empty()) return;
  std::lock_guard lock(mu_);
  if (fd_ < 0) return;
  if (size_ > 0 && size_ + static_cast<int64_t>(data.size()) > max_bytes_) RotateLocked();
  if (fd_ < 0) return;
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // A full disk loses engine output, never the engine: the pipe keeps draining.
      if (!write_failed_)
        log::Warn("cannot write engine log", {{"path", path_}, {"error", std::strerror(errno)}});
      write_failed_ = true;
      return;
    }
    done += static_cast<size_t>(n);
    size_ += n;
  }
  write_failed_ = false;
}

void RotatingLog::Note(std::string_view line) {
  std::string text = "[hai-agent] ";
  text.append(line);
  text += '\n';
  Write(text);
}

std::string TailLog(const std::string& path, int keep, int lines, int64_t end) {
  if (lines <= 0) return "";
  int found = 0;
  std::string text = TailOfFile(path, lines, end, kMaxTailBytes, &found);
  // Older lines come from the rotated files, newest first.
  for (int i = 1; i <= keep && found < lines && static_cast<int64_t>(text.size()) < kMaxTailBytes;
       ++i) {
    int more = 0;
    std::string older = TailOfFile(Rotated(path, i), lines - found, -1,
                                   kMaxTailBytes - static_cast<int64_t>(text.size()), &more);
    if (more == 0) break;
    if (!older.empty() && older.back() != '\n') older += '\n';
    text.insert(0, older);
    found += more;
  }
  return text;
}

LogFollower::LogFollower(std::string path) : path_(std::move(path)) { OpenCurrent(true); }

LogFollower::~LogFollower() {
  if (fd_ >= 0) close(fd_);
}

bool LogFollower::OpenCurrent(bool at_end) {
  int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  fstat(fd, &st);
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
  inode_ = st.st_ino;
  offset_ = at_end ? st.st_size : 0;
  return true;
}

std::string LogFollower::ReadAvailable(size_t limit) {
  if (fd_ < 0) return "";
  struct stat st {};
  fstat(fd_, &st);
  if (st.st_size < offset_) offset_ = 0;  // truncated under us: start over
  int64_t to = std::min<int64_t>(st.st_size, offset_ + static_cast<int64_t>(limit));
  std::string data = ReadRange(fd_, offset_, to);
  offset_ += static_cast<int64_t>(data.size());
  return data;
}

std::string LogFollower::Next() {
  constexpr size_t kLimit = 1 << 20;
  std::string data = std::move(partial_);
  partial_.clear();
  if (fd_ < 0) OpenCurrent(false);
  data += ReadAvailable(kLimit);
  // Rotated: the old file is complete once renamed; read its rest, then move
  // to the new one from its start.
  struct stat st {};
  if (data.size() < kLimit && stat(path_.c_str(), &st) == 0 && fd_ >= 0 && st.st_ino != inode_) {
    data += ReadAvailable(kLimit);
    if (OpenCurrent(false)) data += ReadAvailable(kLimit);
  }
  size_t last = data.rfind('\n');
  if (last == std::string::npos) {
    // A line that never ends (progress bars redrawn with \r) still reaches the reader.
    if (data.size() > kChunk) return data;
    partial_ = std::move(data);
    return "";
  }
  partial_ = data.substr(last + 1);
  data.resize(last + 1);
  return data;
}

}  // namespace hai::agent
