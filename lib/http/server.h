#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "lib/base/status.h"
#include "lib/http/router.h"
#include "lib/metrics/registry.h"

namespace hai::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port, see Server::port()
  size_t max_body_bytes = 1 << 20;
  int threads = 8;
  std::string static_dir;  // served for GET paths outside /api when set
  std::string metrics_prefix = "hai_http";
  // Both set: the server speaks HTTPS only (TLS 1.2 or later, lib/http/tls.h),
  // with this certificate chain (PEM, leaf first) and its private key. Both
  // empty: plain HTTP. Start() fails, naming the file, when one is missing,
  // unreadable or the two do not belong together.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Renders the errors the server answers by itself (no route, wrong method,
  // body too large, unreadable request, a handler that threw) for daemons
  // whose callers expect another error shape (the gateway's OpenAI errors).
  // Unset: Response::Error's {"error":{"code","message"}}.
  std::function<Response(int http_status, const std::string& code, const std::string& message)>
      error_response;
};

// cpp-httplib behind our own request/response/router. Adds what every daemon
// needs: request ids echoed in X-Request-Id, JSON errors (404, 405, 413, 500),
// body size limit, access log, and per-route request counters and latency
// histograms; HTTPS when ServerOptions names a certificate. Start() and Stop()
// from one thread; handlers run on the pool.
class Server {
 public:
  Server(ServerOptions options, const Router* router, metrics::Registry* registry);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving on a background thread.
  Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::thread thread_;
};

// `/healthz` (200 {"status":"ok"} or 503 with the reason) and `/metrics`.
void AddStandardRoutes(Router* router, metrics::Registry* registry,
                       std::function<Status()> health);

// A request id from the caller when it looks sane, else a fresh one.
std::string RequestIdFrom(const std::string& header);

}  // namespace hai::http
