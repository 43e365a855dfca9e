#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemons/gateway/client_pool.h"
#include "daemons/gateway/replica_state.h"
#include "lib/http/message.h"

namespace hai::gateway {

// One streamed exchange with a replica, relayed to the caller as it comes.
// The replica's side runs on a helper thread (the "pump"): the handler waits
// for the answer's head and decides on its status before anything reaches
// the caller (so a failure up to then can still go to another replica);
// then the server thread forwards each piece the moment it arrives, asks
// even while the replica is quiet whether the caller is still there, and
// cuts the replica's connection once the caller has gone. A stream the
// replica breaks off midway ends with an SSE error event that says so.
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
  void Pump(const Request& request);
  void StopPump();
  // Keeps the last few bytes forwarded, to tell whether an event was cut.
  void Remember(const std::string& piece);
  bool EndsEvent() const;
  static constexpr size_t kTail = 4;

  ClientPool::Lease client_;
  std::shared_ptr<ReplicaState> replica_;
  InFlight in_flight_;
  OnBroken on_broken_;
  std::thread pump_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> pieces_;  // GUARDED_BY(mu_)
  size_t queued_bytes_ = 0;         // GUARDED_BY(mu_)
  bool have_head_ = false;          // GUARDED_BY(mu_)
  http::ClientResponse head_;       // GUARDED_BY(mu_)
  bool done_ = false;               // GUARDED_BY(mu_)
  Status result_;                   // GUARDED_BY(mu_): how the exchange ended
  bool stop_ = false;               // GUARDED_BY(mu_)
  std::string tail_;                // the last bytes forwarded (server thread only)
};

}  // namespace hai::gateway
