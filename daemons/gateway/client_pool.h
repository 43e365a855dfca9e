#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "lib/http/client.h"

namespace hai::gateway {

// Kept-alive HTTP clients per peer, so that a request to an engine or the
// portal reuses a connection instead of opening one. A client is lent to one
// thread at a time (http::Client is not shared); a client whose exchange
// failed is dropped rather than returned. An idle connection is reused only
// within kMaxIdle, well inside the 5 s after which lib/http's servers close
// a quiet connection, so a request never races a server closing it (which
// would look like a failed replica); and few are kept per peer, since each
// one holds a worker thread of the peer's server while it is open.
// Thread-safe.
class ClientPool {
 public:
  ClientPool(int timeout_ms, int connect_timeout_ms, size_t max_idle_per_peer)
      : timeout_ms_(timeout_ms),
        connect_timeout_ms_(connect_timeout_ms),
        max_idle_per_peer_(max_idle_per_peer) {}

  class Lease {
   public:
    Lease(ClientPool* pool, std::string host, int port, std::unique_ptr<http::Client> client)
        : pool_(pool), host_(std::move(host)), port_(port), client_(std::move(client)) {}
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
    std::string host_;
    int port_;
    std::unique_ptr<http::Client> client_;
    bool discard_ = false;
  };

  Lease Acquire(const std::string& host, int port);

  static constexpr std::chrono::milliseconds kMaxIdle{2000};

 private:
  void Return(const std::string& host, int port, std::unique_ptr<http::Client> client);

  const int timeout_ms_;
  const int connect_timeout_ms_;
  const size_t max_idle_per_peer_;
  std::mutex mu_;
  struct Idle {
    std::unique_ptr<http::Client> client;
    std::chrono::steady_clock::time_point since;
  };
  std::map<std::pair<std::string, int>, std::vector<Idle>> idle_;  // GUARDED_BY(mu_)
};

}  // namespace hai::gateway
