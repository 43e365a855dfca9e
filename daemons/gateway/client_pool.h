#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "lib/http/client.h"
#include "lib/http/url.h"

namespace hai::gateway {

// Kept-alive HTTP clients per peer, so that a request to an engine or the
// portal reuses a connection instead of opening one. A client is lent to one
// thread at a time (http::Client is not shared); a client whose exchange
// failed is dropped rather than returned. An idle connection is reused only
// within kMaxIdle, well inside the 5 s after which lib/http's servers close
// a quiet connection, so a request never races a server closing it (which
// would look like a failed replica); and few are kept per peer, since each
// one holds a worker thread of the peer's server while it is open.
// An https:// peer's certificate is verified against `ca_file` ("" = the
// system's store). Thread-safe.
class ClientPool {
 public:
  ClientPool(int timeout_ms, int connect_timeout_ms, size_t max_idle_per_peer,
             std::string ca_file = "")
      : timeout_ms_(timeout_ms),
        connect_timeout_ms_(connect_timeout_ms),
        max_idle_per_peer_(max_idle_per_peer),
        ca_file_(std::move(ca_file)) {}

  class Lease {
   public:
    Lease(ClientPool* pool, http::HttpUrl peer, std::unique_ptr<http::Client> client)
        : pool_(pool), peer_(std::move(peer)), client_(std::move(client)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    http::Client* operator->() const { return client_.get(); }
    http::Client& operator*() const { return *client_; }
    // The connection's state is unknown (an error, a cancelled stream):
    // close it instead of returning it.
    void Discard() { discard_ = true; }

   private:
    ClientPool* pool_;
    http::HttpUrl peer_;
    std::unique_ptr<http::Client> client_;
    bool discard_ = false;
  };

  // A plain HTTP peer (an engine replica).
  Lease Acquire(const std::string& host, int port) { return Acquire(http::HttpUrl{host, port}); }
  Lease Acquire(const http::HttpUrl& peer);

  static constexpr std::chrono::milliseconds kMaxIdle{2000};

 private:
  void Return(const http::HttpUrl& peer, std::unique_ptr<http::Client> client);
  using PeerKey = std::tuple<bool, std::string, int>;  // https, host, port
  static PeerKey KeyOf(const http::HttpUrl& peer) { return {peer.https, peer.host, peer.port}; }

  const int timeout_ms_;
  const int connect_timeout_ms_;
  const size_t max_idle_per_peer_;
  const std::string ca_file_;
  std::mutex mu_;
  struct Idle {
    std::unique_ptr<http::Client> client;
    std::chrono::steady_clock::time_point since;
  };
  std::map<PeerKey, std::vector<Idle>> idle_;  // GUARDED_BY(mu_)
};

}  // namespace hai::gateway
