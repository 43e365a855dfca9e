#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"
#include "lib/http/url.h"

namespace hai::http {

struct ClientResponse {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;
  std::string Header(const std::string& name) const;
};

// A small blocking HTTP/1.1 client for inter-daemon calls, haictl and tests.
// One instance per thread (Cancel() excepted).
class Client {
 public:
  // Plain HTTP to host:port.
  Client(std::string host, int port, int timeout_ms = 10000);
  // HTTP or, for an https:// URL, HTTPS (TLS 1.2 or later): the server's
  // certificate must chain to a certificate in `ca_file` (PEM; "" = the
  // system's store, [cluster] ca_file in the daemons) and name `url.host`
  // (a DNS name or IP address in its subjectAltName), else every call fails
  // with an Unavailable status saying why. `ca_file` is unused for http://.
  Client(const HttpUrl& url, const std::string& ca_file, int timeout_ms = 10000);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // A transport failure (refused, timed out) is an Unavailable status; any
  // HTTP answer, error statuses included, is a ClientResponse.
  Result<ClientResponse> Send(const std::string& method, const std::string& path,
                              const std::string& body = {},
                              const std::vector<std::pair<std::string, std::string>>& headers = {},
                              const std::string& content_type = "application/json");

  // Like Send, but the body goes to `on_data` piece by piece as it arrives
  // (chunked answers such as server-sent events) and ClientResponse::body
  // stays empty. `on_data` returning false closes the connection at once and
  // the call returns an Unavailable status.
  Result<ClientResponse> SendStreaming(
      const std::string& method, const std::string& path, const std::string& body,
      const std::vector<std::pair<std::string, std::string>>& headers,
      const std::function<bool(std::string_view data)>& on_data,
      const std::string& content_type = "application/json");
  // The same, with `on_head` called once the status line and headers have
  // arrived and before any piece of the body (ClientResponse::body empty),
  // so a relay can decide on the status before it has passed anything on.
  // `on_head` returning false closes the connection and the call returns an
  // Unavailable status.
  Result<ClientResponse> SendStreaming(
      const std::string& method, const std::string& path, const std::string& body,
      const std::vector<std::pair<std::string, std::string>>& headers,
      const std::function<bool(const ClientResponse& head)>& on_head,
      const std::function<bool(std::string_view data)>& on_data,
      const std::string& content_type = "application/json");

  // For https://, stops checking the server's certificate (its chain and its
  // name) for every later call: only for a peer whose certificate cannot be
  // checked and whose operator asked for that in so many words (a BMC's
  // factory self-signed certificate, hai-hwcheck --bmc-insecure). A no-op
  // for plain HTTP.
  void SkipServerCertificateVerification();

  // How long connecting may take, when it should be shorter than the
  // timeout for reading an answer (a relay that fails over to another peer).
  void SetConnectTimeout(int timeout_ms);

  // The one call that may come from another thread: closes the connection of
  // a Send or SendStreaming in progress (which then returns Unavailable), for
  // example when the reader a stream was relayed to has gone away. A no-op
  // when nothing is in flight.
  void Cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Cancels `client`'s exchange again and again until `done()` holds: an
// exchange may be just starting as the decision to stop is taken, and one
// Cancel before it began would be lost. `lock` holds the mutex guarding what
// `done` reads; `changed` is notified when that changes.
void CancelUntil(Client& client, std::unique_lock<std::mutex>& lock,
                 std::condition_variable& changed, const std::function<bool()>& done);

}  // namespace hai::http
