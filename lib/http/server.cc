#include "lib/http/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "lib/base/random.h"
#include "lib/http/connection_probe.h"
#include "lib/http/error_map.h"
#include "lib/http/static_files.h"
#include "lib/http/tls.h"
#include "lib/log/log.h"

namespace hai::http {
namespace {

// Connections the kernel completes before the server accepts them (the
// kernel caps it at net.core.somaxconn).
constexpr int kListenBacklog = 1024;

// A plain server, or an HTTPS one when the options name a certificate.
Result<std::unique_ptr<httplib::Server>> MakeServer(const ServerOptions& options) {
  const bool cert = !options.tls_cert_file.empty(), key = !options.tls_key_file.empty();
  if (!cert && !key) return std::make_unique<httplib::Server>();
  if (!cert || !key)
    return Status::InvalidArgument(std::string("TLS needs a certificate and a key; only the ") +
                                   (cert ? "certificate" : "key") + " is set");
  Status configured = Status::Internal("the TLS context was not set up");
  auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    configured = ConfigureServerTls(&ctx, options.tls_cert_file, options.tls_key_file);
    return configured.ok();
  });
  HAI_RETURN_IF_ERROR(configured);
  if (!server->is_valid()) return Status::Internal("cannot create the TLS server");
  IgnoreBrokenPipes();
  return std::unique_ptr<httplib::Server>(std::move(server));
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router* router;
  std::unique_ptr<httplib::Server> server;  // an httplib::SSLServer with TLS
  metrics::Family* requests = nullptr;
  metrics::Family* latency = nullptr;
  std::atomic<bool> listen_returned{false};

  Request Convert(const httplib::Request& in) {
    Request req;
    req.method = in.method;
    req.path = in.path;
    for (const auto& [k, v] : in.params) req.query.emplace(k, v);
    for (const auto& [k, v] : in.headers) {
      std::string key = k;
      std::transform(key.begin(), key.end(), key.begin(), ::tolower);
      req.headers.emplace(key, v);
    }
    req.body = in.body;
    req.client_ip = in.remote_addr;
    req.request_id = RequestIdFrom(in.get_header_value("X-Request-Id"));
    req.client_gone = ClientGoneProbe(in.local_port, in.remote_addr, in.remote_port);
    return req;
  }

  Response Dispatch(Request& req) {
    const Router::Route* route = nullptr;
    switch (router->Find(req, &route)) {
      case Router::Match::kFound:
        try {
          return route->handler(req);
        } catch (const std::exception& e) {
          log::Error("handler failed", {{"request_id", req.request_id}, {"route", req.route},
                                        {"error", e.what()}});
          return OwnError(Status::Internal("internal error, request id " + req.request_id));
        }
      case Router::Match::kWrongMethod:
        req.route = "method_not_allowed";
        if (options.error_response)
          return options.error_response(405, "method_not_allowed",
                                        req.method + " is not allowed on " + req.path);
        return Response::Json(405, {{"error",
                                     {{"code", "method_not_allowed"},
                                      {"message", req.method + " is not allowed on " + req.path}}}});
      case Router::Match::kNoPath:
        break;
    }
    if ((req.method == "GET" || req.method == "HEAD") && !options.static_dir.empty() &&
        req.path.rfind("/api/", 0) != 0 && req.path != "/api") {
      req.route = "static";
      if (auto r = ServeStatic(options.static_dir, req.path)) return std::move(*r);
    }
    req.route = "unmatched";
    return OwnError(Status::NotFound("no route for " + req.method + " " + req.path));
  }

  // An error the server answers by itself, in the daemon's shape.
  Response OwnError(const Status& status) {
    if (!options.error_response) return Response::Error(status);
    return options.error_response(HttpStatusFor(status.code()),
                                  std::string(CodeName(status.code())), status.message());
  }

  void Handle(const httplib::Request& in, httplib::Response& out) {
    auto start = std::chrono::steady_clock::now();
    Request req = Convert(in);
    Response res = Dispatch(req);
    Write(req, res, out);
    if (res.sized && res.sized_length > 0) {
      // cpp-httplib would cut a Range request's part out of the body but
      // keep the status this server set (200): ranges are not offered, the
      // whole body is sent.
      const_cast<httplib::Request&>(in).ranges.clear();
      StreamRecord record{req.method, req.route, req.path, req.client_ip, req.request_id,
                          res.status, start};
      SetSized(std::move(res.sized), res.sized_length, std::move(req.client_gone),
               res.content_type, std::move(record), out);
      return;
    }
    if (res.stream) {
      // A stream is live (a followed log, tokens): cpp-httplib would gzip a
      // text/* stream for a client that accepts it and hold every piece
      // until the end. It decides from the request's Accept-Encoding after
      // this function returns; the request object it passes is its own
      // non-const one, so dropping the header here turns compression off.
      const_cast<httplib::Request&>(in).headers.erase("Accept-Encoding");
      // Recorded when the stream ends: cpp-httplib runs the producer after
      // this function returns and then calls the releaser exactly once.
      StreamRecord record{req.method, req.route, req.path, req.client_ip, req.request_id,
                          res.status, start};
      SetStream(std::move(res.stream), std::move(req.client_gone), res.content_type,
                std::move(record), out);
      return;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    Record(req.method, req.route, res.status, seconds, req.request_id, req.path, req.client_ip);
  }

  void Write(const Request& req, Response& res, httplib::Response& out) {
    out.status = res.status;
    for (auto& [k, v] : res.headers) out.set_header(k.c_str(), v);
    out.set_header("X-Request-Id", req.request_id);
    out.set_header("X-Content-Type-Options", "nosniff");
    if (res.stream) return;
    if (res.sized && res.sized_length > 0) return;
    if (!res.content_type.empty() || !res.body.empty())
      out.set_content(std::move(res.body),
                      res.content_type.empty() ? "text/plain" : res.content_type.c_str());
  }

  struct StreamRecord {
    std::string method, route, path, ip, request_id;
    int status;
    std::chrono::steady_clock::time_point start;
  };

  void SetStream(StreamProducer producer, std::function<bool()> client_gone,
                 const std::string& content_type, StreamRecord record, httplib::Response& out) {
    auto provider = [producer = std::move(producer), client_gone = std::move(client_gone)](
                        size_t /*offset*/, httplib::DataSink& sink) {
      StreamWrite write = [&sink, &client_gone](std::string_view data) {
        if (client_gone && client_gone()) return false;
        if (data.empty()) return sink.is_writable();
        return sink.write(data.data(), data.size());
      };
      if (!producer(write)) return false;
      sink.done();
      return true;
    };
    out.set_chunked_content_provider(content_type.empty() ? "text/plain" : content_type,
                                     std::move(provider), Releaser(std::move(record)));
  }

  // A body of known length: cpp-httplib sends Content-Length and asks the
  // provider for what is still missing (or for the requested range).
  void SetSized(RangeProducer producer, uint64_t total, std::function<bool()> client_gone,
                const std::string& content_type, StreamRecord record, httplib::Response& out) {
    auto provider = [producer = std::move(producer), client_gone = std::move(client_gone)](
                        size_t offset, size_t length, httplib::DataSink& sink) {
      StreamWrite write = [&sink, &client_gone](std::string_view data) {
        if (client_gone && client_gone()) return false;
        if (data.empty()) return sink.is_writable();
        return sink.write(data.data(), data.size());
      };
      return producer(offset, length, write);
    };
    out.set_content_provider(static_cast<size_t>(total),
                             content_type.empty() ? "application/octet-stream" : content_type,
                             std::move(provider), Releaser(std::move(record)));
  }

  // Records a streamed or sized response when it ends: cpp-httplib calls the
  // releaser exactly once, after the provider is done or has failed.
  std::function<void(bool)> Releaser(StreamRecord record) {
    auto recorded = std::make_shared<std::atomic<bool>>(false);
    return [this, record = std::move(record), recorded](bool success) {
      if (recorded->exchange(true)) return;
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - record.start).count();
      Record(record.method, record.route, record.status, seconds, record.request_id, record.path,
             record.ip, success ? "" : "aborted");
    };
  }

  void Record(const std::string& method, const std::string& route, int status, double seconds,
              const std::string& request_id, const std::string& path, const std::string& ip,
              const std::string& stream_end = "") {
    requests->Add({{"method", method}, {"route", route}, {"status", std::to_string(status)}}, 1);
    latency->Observe({{"method", method}, {"route", route}}, seconds);
    // Heartbeats, route long-polls, health probes and scrapes arrive every few
    // seconds from every node: at info they would bury the journal. Their
    // failures stay at info.
    const log::Level level = Routine(path, status) ? log::Level::kDebug : log::Level::kInfo;
    if (!stream_end.empty()) {
      log::Write(level, "request", {{"method", method}, {"path", path}, {"status", status},
                            {"ms", static_cast<long long>(seconds * 1000)},
                            {"request_id", request_id}, {"client_ip", ip},
                            {"stream", stream_end}});
      return;
    }
    log::Write(level, "request", {{"method", method}, {"path", path}, {"status", status},
                                  {"ms", static_cast<long long>(seconds * 1000)},
                                  {"request_id", request_id}, {"client_ip", ip}});
  }

  static bool Routine(const std::string& path, int status) {
    return status < 400 &&
           (path.starts_with("/internal/") || path == "/healthz" || path == "/metrics");
  }

  // Errors cpp-httplib raises itself (oversized body, malformed request).
  httplib::Server::HandlerResponse OnError(const httplib::Request& in, httplib::Response& out) {
    if (!out.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    Code code = CodeForHttpStatus(out.status);
    std::string message = out.status == 413
                              ? "request body is larger than " +
                                    std::to_string(options.max_body_bytes) + " bytes"
                              : "the request could not be read";
    Response res = OwnError(Status(code == Code::kPermissionDenied ? Code::kInternal : code,
                                   message));
    std::string id = RequestIdFrom(in.get_header_value("X-Request-Id"));
    out.set_header("X-Request-Id", id);
    out.set_content(res.body, "application/json");
    Record(in.method, "rejected", out.status, 0, id, in.path, in.remote_addr);
    return httplib::Server::HandlerResponse::Handled;
  }
};

Server::Server(ServerOptions options, const Router* router, metrics::Registry* registry)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->router = router;
  const std::string& prefix = impl_->options.metrics_prefix;
  impl_->requests = registry->Counter(prefix + "_requests_total",
                                      "HTTP requests by method, route pattern and status.");
  impl_->latency = registry->Histogram(prefix + "_request_duration_seconds",
                                       "HTTP request latency by method and route pattern.",
                                       metrics::Registry::LatencyBuckets());
}

Server::~Server() { Stop(); }

Status Server::Start() {
  Impl* impl = impl_.get();
  HAI_ASSIGN_OR_RETURN(impl->server, MakeServer(impl->options));
  httplib::Server& server = *impl->server;
  int threads = impl->options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(impl->options.max_body_bytes);
  server.set_read_timeout(30, 0);
  server.set_keep_alive_max_count(1000);
  server.set_tcp_nodelay(true);  // small JSON answers must not wait for Nagle
  // The listening socket, to raise its backlog once bound (below).
  auto listening = std::make_shared<int>(-1);
  server.set_socket_options([listening](int sock) {
    httplib::default_socket_options(sock);
    *listening = sock;
  });
  auto handler = [impl](const httplib::Request& in, httplib::Response& out) {
    impl->Handle(in, out);
  };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Patch(".*", handler);
  server.Delete(".*", handler);
  server.Options(".*", handler);
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [impl](const httplib::Request& in, httplib::Response& out) { return impl->OnError(in, out); }));
  if (impl->options.port == 0) {
    port_ = server.bind_to_any_port(impl->options.host);
  } else {
    port_ = server.bind_to_port(impl->options.host, impl->options.port) ? impl->options.port : -1;
  }
  if (port_ <= 0)
    return Status::Unavailable("cannot listen on " + impl->options.host + ":" +
                               std::to_string(impl->options.port));
  // cpp-httplib listens with a backlog of 5: a burst of new connections
  // beyond it waits for the clients' SYN retries (1 s, then 3 s; seen as a
  // 1–3 s p99.9 in gateway_bench). Listening again raises it.
  if (*listening >= 0) ::listen(*listening, kListenBacklog);
  thread_ = std::thread([impl] {
    impl->server->listen_after_bind();
    impl->listen_returned = true;
  });
  return Status::Ok();
}

void Server::Stop() {
  if (!thread_.joinable()) return;
  // cpp-httplib's stop() does nothing until the listening thread has begun,
  // and that thread would then accept forever: wait for it to begin.
  while (!impl_->server->is_running() && !impl_->listen_returned)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->server->stop();
  thread_.join();
}

std::string RequestIdFrom(const std::string& header) {
  bool sane = !header.empty() && header.size() <= 64 &&
              std::all_of(header.begin(), header.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                       c == '.';
              });
  return sane ? header : RandomToken(12);
}

void AddStandardRoutes(Router* router, metrics::Registry* registry,
                       std::function<Status()> health) {
  router->Add("GET", "/healthz", [health](Request&) {
    Status st = health ? health() : Status::Ok();
    if (st.ok()) return Response::Json(200, {{"status", "ok"}});
    return Response::Json(503, {{"status", "unavailable"}, {"reason", st.message()}});
  });
  router->Add("GET", "/metrics", [registry](Request&) {
    return Response::Text(200, registry->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace hai::http
