#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "lib/base/status.h"

namespace hai::hwcheck::host {

// An owned socket descriptor, closed on destruction. Movable, not copyable.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(other.Release()) {}
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();

 private:
  int fd_ = -1;
};

// "HOST:PORT" or "[V6]:PORT" split; an error naming the text when malformed.
Status SplitHostPort(std::string_view text, std::string* host, int* port);

// A TCP listener on `address` (numeric) and `port` (0 = any free one).
Result<Socket> ListenTcp(const std::string& address, int port, int backlog);
// The port a bound socket got.
int LocalPort(int fd);

// Connects to `host`:`port` (a name is resolved), giving up after `timeout`.
Result<Socket> ConnectTcp(const std::string& host, int port, std::chrono::milliseconds timeout);

// Receive and send timeouts for blocking calls on `fd` (SO_RCVTIMEO/SO_SNDTIMEO).
void SetIoTimeout(int fd, std::chrono::milliseconds timeout);

// Sends all of `data` (no SIGPIPE); an error when the peer went away.
Status SendAll(int fd, std::string_view data);
// Reads one '\n'-terminated line (without it) of at most `max_bytes`; errors
// on end of stream, timeout (per SetIoTimeout) or an over-long line.
Result<std::string> ReadLine(int fd, size_t max_bytes = 256);

}  // namespace hai::hwcheck::host
