#include "hwcheck/host/tcp_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace hai::hwcheck::host {

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.Release();
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) close(fd_);
}

int Socket::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

Status SplitHostPort(std::string_view text, std::string* host, int* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size())
    return Status::InvalidArgument("expected ADDR:PORT, got '" + std::string(text) + "'");
  std::string_view h = text.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  std::string_view p = text.substr(colon + 1);
  int value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value < 0 || value > 65535)
    return Status::InvalidArgument("bad port in '" + std::string(text) + "'");
  *host = std::string(h);
  *port = value;
  return Status::Ok();
}

namespace {

Status Errno(const std::string& what) {
  return Status::Unavailable(what + ": " + std::strerror(errno));
}

struct AddrInfoList {
  addrinfo* head = nullptr;
  ~AddrInfoList() {
    if (head) freeaddrinfo(head);
  }
};

Status Resolve(const std::string& host, int port, int flags, AddrInfoList* list) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  const std::string service = std::to_string(port);
  int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &list->head);
  if (rc != 0) return Status::Unavailable("cannot resolve '" + host + "': " + gai_strerror(rc));
  return Status::Ok();
}

// Waits for a non-blocking connect to finish.
Status FinishConnect(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLOUT, 0};
  int rc;
  do {
    rc = poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  if (rc == 0) return Status::Unavailable("connect timed out");
  if (rc < 0) return Errno("poll");
  int err = 0;
  socklen_t len = sizeof(err);
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return Status::Unavailable(std::string("connect: ") + std::strerror(err));
  return Status::Ok();
}

}  // namespace

Result<Socket> ListenTcp(const std::string& address, int port, int backlog) {
  AddrInfoList list;
  HAI_RETURN_IF_ERROR(Resolve(address, port, AI_PASSIVE | AI_NUMERICHOST, &list));
  Socket sock(socket(list.head->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock.valid()) return Errno("socket");
  int one = 1;
  setsockopt(sock.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(sock.fd(), list.head->ai_addr, list.head->ai_addrlen) != 0)
    return Errno("bind " + address + ":" + std::to_string(port));
  if (listen(sock.fd(), backlog) != 0) return Errno("listen");
  return sock;
}

int LocalPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return 0;
}

Result<Socket> ConnectTcp(const std::string& host, int port, std::chrono::milliseconds timeout) {
  AddrInfoList list;
  HAI_RETURN_IF_ERROR(Resolve(host, port, 0, &list));
  Status last = Status::Unavailable("no address for '" + host + "'");
  for (addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
    Socket sock(socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!sock.valid()) return Errno("socket");
    if (connect(sock.fd(), ai->ai_addr, ai->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        last = Errno("connect to " + host + ":" + std::to_string(port));
        continue;
      }
      last = FinishConnect(sock.fd(), timeout);
      if (!last.ok()) {
        last = Status::Unavailable(host + ":" + std::to_string(port) + ": " + last.message());
        continue;
      }
    }
    int flags = fcntl(sock.fd(), F_GETFL);
    fcntl(sock.fd(), F_SETFL, flags & ~O_NONBLOCK);
    return sock;
  }
  return last;
}

void SetIoTimeout(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

Status SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return Status::Unavailable("send timed out");
      return Errno("send");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Result<std::string> ReadLine(int fd, size_t max_bytes) {
  // Byte by byte: lines are a few dozen bytes, and nothing after the newline
  // (a data stream's payload) may be consumed here.
  std::string line;
  while (line.size() <= max_bytes) {
    char c;
    ssize_t n = recv(fd, &c, 1, 0);
    if (n == 0) return Status::Unavailable("connection closed");
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return Status::Unavailable("read timed out");
      return Errno("recv");
    }
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    line.push_back(c);
  }
  return Status::InvalidArgument("line longer than " + std::to_string(max_bytes) + " bytes");
}

}  // namespace hai::hwcheck::host
