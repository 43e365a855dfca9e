#include "bench/gateway_bench_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <chrono>

namespace hai::bench {
namespace {

Status Errno(const std::string& what) {
  return Status::Unavailable(what + ": " + ::strerror(errno));
}

}  // namespace

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = other.Release();
  }
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<UniqueFd> ListenTcp(const std::string& host, int port, int backlog) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket");
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    return Status::InvalidArgument("not an IPv4 address: " + host, "host");
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    return Errno("bind " + host + ":" + std::to_string(port));
  if (::listen(fd.get(), backlog) != 0) return Errno("listen");
  return fd;
}

int BoundPort(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof(addr);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  return ntohs(addr.sin_port);
}

Result<UniqueFd> ConnectLoopback(int port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket");
  int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 &&
      errno != EINPROGRESS)
    return Errno("connect 127.0.0.1:" + std::to_string(port));
  return fd;
}

int ConnectError(int fd) {
  int error = 0;
  socklen_t len = sizeof(error);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) return errno;
  return error;
}

uint64_t RaiseFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

Result<EventLoop> EventLoop::Create() {
  UniqueFd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll.valid()) return Errno("epoll_create1");
  UniqueFd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!timer.valid()) return Errno("timerfd_create");
  EventLoop loop(std::move(epoll), std::move(timer));
  HAI_RETURN_IF_ERROR(loop.Add(loop.timer_.get(), EPOLLIN, kTimerTag));
  return loop;
}

Status EventLoop::Add(int fd, uint32_t events, uint64_t tag) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = tag;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) return Errno("epoll_ctl add");
  return Status::Ok();
}

Status EventLoop::Modify(int fd, uint32_t events, uint64_t tag) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = tag;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) return Errno("epoll_ctl mod");
  return Status::Ok();
}

void EventLoop::Remove(int fd) { ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

Status EventLoop::Wait(int64_t deadline_ns, std::vector<epoll_event>* events) {
  events->resize(1024);
  const bool poll_only = deadline_ns <= NowNs();
  if (!poll_only && deadline_ns != armed_ns_) {
    itimerspec spec{};
    spec.it_value.tv_sec = deadline_ns / 1'000'000'000;
    spec.it_value.tv_nsec = deadline_ns % 1'000'000'000;
    if (::timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0)
      return Errno("timerfd_settime");
    armed_ns_ = deadline_ns;
  }
  int n = ::epoll_wait(epoll_.get(), events->data(), static_cast<int>(events->size()),
                       poll_only ? 0 : -1);
  if (n < 0) {
    events->clear();
    return errno == EINTR ? Status::Ok() : Errno("epoll_wait");
  }
  events->resize(static_cast<size_t>(n));
  for (size_t i = 0; i < events->size();) {
    if ((*events)[i].data.u64 == kTimerTag) {
      uint64_t expirations = 0;
      (void)!::read(timer_.get(), &expirations, sizeof(expirations));
      armed_ns_ = -1;
      (*events)[i] = events->back();
      events->pop_back();
    } else {
      ++i;
    }
  }
  return Status::Ok();
}

}  // namespace hai::bench
