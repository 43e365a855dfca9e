#include "daemons/agent/port_pool.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hai::agent {

bool PortPool::Bindable(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  // Like the engines' own listeners: a connection of a previous engine in
  // TIME_WAIT does not make the port unusable.
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  // The wildcard address conflicts with a listener on any address, so a port
  // free here is free on whichever address the engine binds.
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

Result<int> PortPool::Acquire() {
  std::lock_guard lock(mu_);
  int count = last_ - first_ + 1;
  // Round-robin rather than lowest-first: a port just given up is reused
  // last, so stale clients of a stopped engine do not reach its successor.
  for (int i = 0; i < count; ++i) {
    int port = first_ + (next_ - first_ + i) % count;
    if (held_.contains(port) || !Bindable(port)) continue;
    held_.insert(port);
    next_ = port == last_ ? first_ : port + 1;
    return port;
  }
  return Status(Code::kResourceExhausted,
                "no free engine port in " + std::to_string(first_) + "-" + std::to_string(last_));
}

void PortPool::Release(int port) {
  std::lock_guard lock(mu_);
  held_.erase(port);
}

}  // namespace hai::agent
