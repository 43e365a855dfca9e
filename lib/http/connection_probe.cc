#include "lib/http/connection_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

namespace hai::http {
namespace {

struct Endpoint {
  std::string address;
  int port = -1;
};

Endpoint Describe(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    return {text, ntohs(in->sin_port)};
  }
  if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    return {text, ntohs(in6->sin6_port)};
  }
  return {};
}

bool IsConnection(int fd, int local_port, const std::string& peer_address, int peer_port) {
  sockaddr_storage local{}, peer{};
  socklen_t local_len = sizeof(local), peer_len = sizeof(peer);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) return false;
  if (Describe(local).port != local_port) return false;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) return false;
  Endpoint p = Describe(peer);
  return p.port == peer_port && p.address == peer_address;
}

// The descriptor whose address pair matches, or -1.
int FindSocket(int local_port, const std::string& peer_address, int peer_port) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::error_code link_ec;
    std::string target = std::filesystem::read_symlink(entry.path(), link_ec).string();
    if (link_ec || target.rfind("socket:", 0) != 0) continue;
    int fd = std::atoi(entry.path().filename().c_str());
    if (IsConnection(fd, local_port, peer_address, peer_port)) return fd;
  }
  return -1;
}

}  // namespace

std::function<bool()> ClientGoneProbe(int local_port, std::string peer_address, int peer_port) {
  struct State {
    bool searched = false;
    int fd = -1;
  };
  auto state = std::make_shared<State>();
  return [state, local_port, peer_address = std::move(peer_address), peer_port] {
    if (!state->searched) {
      state->searched = true;
      state->fd = FindSocket(local_port, peer_address, peer_port);
    }
    if (state->fd < 0) return false;  // not found: we cannot tell, assume present
    pollfd p{state->fd, POLLRDHUP, 0};
    if (poll(&p, 1, 0) <= 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  };
}

}  // namespace hai::http
