#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lib/http/client.h"
#include "lib/http/message.h"

namespace hai::http {

// One request to another server whose answer is passed on to our own caller
// while it arrives. The other server's side runs on a helper thread (the
// pump): the handler first waits for the answer's head, so it can still
// choose the status it answers with; then the server thread that writes our
// answer forwards each piece the moment it comes, asks even while the other
// side is quiet whether our caller is still there, and cuts the other
// connection once the caller has gone (which cancels the work behind it,
// e.g. a generation). At most `max_queued_bytes` are held for a slow caller;
// beyond that the other side is not read and TCP slows it down.
//
// Used by one request: Start and ReadBody on the handler's thread, Forward on
// the server thread that writes the answer. The client must outlive this.
class RelayedExchange {
 public:
  struct Request {
    std::string method = "POST";
    std::string path;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
  };
  // How Forward ended.
  enum class End { kComplete, kCallerGone, kBroken };

  explicit RelayedExchange(Client* client, size_t max_queued_bytes = 1 << 20)
      : client_(client), max_queued_bytes_(max_queued_bytes) {}
  ~RelayedExchange();
  RelayedExchange(const RelayedExchange&) = delete;
  RelayedExchange& operator=(const RelayedExchange&) = delete;

  // Sends the request and waits for the head. Unavailable when no head came
  // (refused, reset, timed out) or the caller went away meanwhile
  // (`caller_gone`, asked every 250 ms, answered true).
  Result<ClientResponse> Start(Request request, const std::function<bool()>& caller_gone);
  // The whole body, for an answer that is not passed on piece by piece (an
  // error); Unavailable when the connection broke before its end or the
  // body is over `max_body_bytes`.
  Result<std::string> ReadBody(size_t max_body_bytes = 16 << 20);
  // Writes what the other side sends until it ends or our caller goes.
  // `on_piece`, when set, sees each piece after it was written. After
  // kBroken, `status()` says why.
  End Forward(const StreamWrite& write,
              const std::function<void(const std::string& piece)>& on_piece = nullptr);
  // How the exchange ended (Ok while it runs or once it completed).
  Status status();

 private:
  void Pump(const Request& request);
  void StopPump();

  Client* client_;
  const size_t max_queued_bytes_;
  std::thread pump_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> pieces_;  // GUARDED_BY(mu_)
  size_t queued_bytes_ = 0;         // GUARDED_BY(mu_)
  bool have_head_ = false;          // GUARDED_BY(mu_)
  ClientResponse head_;             // GUARDED_BY(mu_)
  bool whole_body_ = false;         // GUARDED_BY(mu_): ReadBody waits, so no back-pressure
  bool done_ = false;               // GUARDED_BY(mu_)
  Status result_;                   // GUARDED_BY(mu_)
  bool stop_ = false;               // GUARDED_BY(mu_)
};

}  // namespace hai::http
