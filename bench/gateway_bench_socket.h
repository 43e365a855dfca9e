#pragma once

// Loopback sockets and an epoll loop with a nanosecond timer, shared by
// gateway_bench's load generator and its minimal upstream. Linux only.

#include <sys/epoll.h>

#include <cstdint>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::bench {

// CLOCK_MONOTONIC in nanoseconds (std::chrono::steady_clock on Linux). The
// clock is the same in every process of the machine, so the upstream can
// stamp a token with it and the load generator can subtract.
int64_t NowNs();

// A file descriptor closed with its owner.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset();

 private:
  int fd_ = -1;
};

// A non-blocking listening socket on host:port (0: any free port).
Result<UniqueFd> ListenTcp(const std::string& host, int port, int backlog);
// The port a bound socket got.
int BoundPort(int fd);
// A non-blocking connect to 127.0.0.1:port with TCP_NODELAY; the connection
// completes later (EPOLLOUT, then ConnectError()).
Result<UniqueFd> ConnectLoopback(int port);
// The error of a finished non-blocking connect (0: connected).
int ConnectError(int fd);

// Raises this process's open-file limit to its hard limit (children started
// afterwards inherit it); returns the new soft limit.
uint64_t RaiseFileLimit();

// epoll plus a timerfd, so that a wait can end at a nanosecond deadline.
// Not thread-safe.
class EventLoop {
 public:
  static Result<EventLoop> Create();

  Status Add(int fd, uint32_t events, uint64_t tag);
  Status Modify(int fd, uint32_t events, uint64_t tag);
  void Remove(int fd);
  // Waits until an event or `deadline_ns` (NowNs clock; <= now: just
  // polls). The timer's own wake-up is not reported.
  Status Wait(int64_t deadline_ns, std::vector<epoll_event>* events);

  // The tag reserved for the timer.
  static constexpr uint64_t kTimerTag = ~uint64_t{0};

 private:
  EventLoop(UniqueFd epoll, UniqueFd timer) : epoll_(std::move(epoll)), timer_(std::move(timer)) {}
  UniqueFd epoll_;
  UniqueFd timer_;
  int64_t armed_ns_ = -1;
};

}  // namespace hai::bench
