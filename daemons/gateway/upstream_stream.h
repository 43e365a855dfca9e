#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemons/gateway/client_pool.h"
#include "daemons/gateway/replica_state.h"
#include "lib/http/message.h"
#include "lib/http/relayed_exchange.h"

namespace hai::gateway {

// One streamed exchange with a replica, relayed to the caller as it comes
// (http::RelayedExchange: the head first, so a failure up to then can still
// go to another replica; then each piece the moment it arrives, and the
// replica's connection cut once the caller has gone). On top of that: the
// replica counts the request as outstanding while it runs, the pooled
// connection is closed rather than reused when the exchange did not end
// cleanly, and a stream the replica breaks off midway ends with an SSE error
// event that says so.
//
// Used by one request: Start and ReadBody on the handler's thread, Forward
// on the server thread that writes the answer.
class UpstreamStream {
 public:
  struct Request {
    std::string path;
    std::string body;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  // Called once when the replica's stream breaks after its head arrived.
  using OnBroken = std::function<void(const std::string& why)>;

  UpstreamStream(ClientPool::Lease client, std::shared_ptr<ReplicaState> replica,
                 OnBroken on_broken);
  ~UpstreamStream();
  UpstreamStream(const UpstreamStream&) = delete;
  UpstreamStream& operator=(const UpstreamStream&) = delete;

  // Sends the request and waits for the head (status and headers). An
  // Unavailable status: no head came (refused, reset, timed out), or the
  // caller went away meanwhile (`caller_gone` answers true).
  Result<http::ClientResponse> Start(const Request& request,
                                     const std::function<bool()>& caller_gone);
  // The whole body of an answer that is not relayed piece by piece (an
  // error); Unavailable when the connection broke before its end.
  Result<std::string> ReadBody();
  // Writes what the replica sends until it ends (true) or the caller goes
  // (false).
  bool Forward(const http::StreamWrite& write);

 private:
  // Keeps the last few bytes forwarded, to tell whether an event was cut.
  void Remember(const std::string& piece);
  bool EndsEvent() const;
  static constexpr size_t kTail = 4;

  ClientPool::Lease client_;
  std::shared_ptr<ReplicaState> replica_;
  InFlight in_flight_;
  OnBroken on_broken_;
  bool clean_ = false;  // the exchange ended as HTTP says: the connection may be reused
  std::string tail_;    // the last bytes forwarded (server thread only)
  // Last: stopped (its pump joined) before the lease goes back to the pool.
  http::RelayedExchange exchange_;
};

}  // namespace hai::gateway
