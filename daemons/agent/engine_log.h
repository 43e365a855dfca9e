#pragma once

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "lib/base/status.h"

namespace hai::agent {

// A replica's engine.log: the engine's stdout and stderr plus the agent's own
// "[hai-agent] …" lines, rotated by size. When a write would take the file
// past max_bytes it becomes engine.log.1 (the older ones move up to
// engine.log.<keep>; the oldest is dropped) and a new engine.log begins.
// Thread-safe: the output pump and the supervisor both write.
class RotatingLog {
 public:
  RotatingLog(std::string path, int64_t max_bytes, int keep);
  ~RotatingLog();
  RotatingLog(const RotatingLog&) = delete;
  RotatingLog& operator=(const RotatingLog&) = delete;

  Status Open();  // appends to an existing file
  void Write(std::string_view data);
  // A line from the agent itself, marked so people tell it from the engine's.
  void Note(std::string_view line);
  const std::string& path() const { return path_; }
  int keep() const { return keep_; }

 private:
  void RotateLocked();

  const std::string path_;
  const int64_t max_bytes_;
  const int keep_;
  std::mutex mu_;
  int fd_ = -1;                // GUARDED_BY(mu_)
  int64_t size_ = 0;           // GUARDED_BY(mu_)
  bool write_failed_ = false;  // GUARDED_BY(mu_): logged once
};

// The last `lines` lines of the log at `path`, reaching into the rotated
// files (path.1, …, path.<keep>) when the current one holds fewer. Reads the
// current file only up to `end` (-1: its whole length), so a follower that
// starts at `end` continues exactly where the tail stops. At most 16 MiB.
std::string TailLog(const std::string& path, int keep, int lines, int64_t end = -1);

// Reads what is appended to a log, across rotations (like `tail -F`). Not
// thread-safe: one per reader.
class LogFollower {
 public:
  // Starts at the current end of the file (or at its start once it appears).
  explicit LogFollower(std::string path);
  ~LogFollower();
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

  // Where reading continues in the current file.
  int64_t offset() const { return offset_; }
  // Complete lines appended since the last call ("" when none), at most about
  // 1 MiB at a time. A partial last line waits for its newline.
  std::string Next();

 private:
  bool OpenCurrent(bool at_end);
  std::string ReadAvailable(size_t limit);

  std::string path_;
  int fd_ = -1;
  ino_t inode_ = 0;
  int64_t offset_ = 0;
  std::string partial_;
};

}  // namespace hai::agent
