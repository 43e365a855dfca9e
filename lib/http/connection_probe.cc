#include "lib/http/connection_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

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

struct Key {
  int local_port;
  std::string peer_address;
  int peer_port;
  auto operator<=>(const Key&) const = default;
};

// Every connected socket of the process by its address pair. cpp-httplib
// gives handlers no descriptor, so one has to be found among all of them;
// a scan reads every descriptor, so with thousands of open connections a
// scan per request would cost O(connections) each (measured: most of the
// gateway's CPU with 5,000 streams). One scan records every socket, later
// lookups are answered from that (checked, as descriptors get reused), and
// callers arriving during a scan wait for it rather than start their own.
class SocketIndex {
 public:
  int Find(const Key& key) {
    std::lock_guard lock(mu_);
    if (auto it = fds_.find(key); it != fds_.end() && Matches(it->second, key)) return it->second;
    Scan();
    auto it = fds_.find(key);
    return it == fds_.end() ? -1 : it->second;
  }

 private:
  static std::optional<Key> KeyOf(int fd) {
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof(local), peer_len = sizeof(peer);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) return std::nullopt;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) return std::nullopt;
    Endpoint p = Describe(peer);
    return Key{Describe(local).port, std::move(p.address), p.port};
  }
  static bool Matches(int fd, const Key& key) {
    std::optional<Key> now = KeyOf(fd);
    return now && *now == key;
  }
  void Scan() {
    fds_.clear();
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
      std::error_code link_ec;
      std::string target = std::filesystem::read_symlink(entry.path(), link_ec).string();
      if (link_ec || target.rfind("socket:", 0) != 0) continue;
      const int fd = std::atoi(entry.path().filename().c_str());
      if (std::optional<Key> key = KeyOf(fd)) fds_[*key] = fd;
    }
  }

  std::mutex mu_;
  std::map<Key, int> fds_;  // GUARDED_BY(mu_)
};

SocketIndex& Index() {
  static SocketIndex* index = new SocketIndex;  // never destroyed: used by server threads
  return *index;
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
      state->fd = Index().Find(Key{local_port, peer_address, peer_port});
    }
    if (state->fd < 0) return false;  // not found: we cannot tell, assume present
    pollfd p{state->fd, POLLRDHUP, 0};
    if (poll(&p, 1, 0) <= 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  };
}

}  // namespace hai::http
