#include "lib/http/client.h"

#include <httplib.h>

#include <algorithm>

#include "lib/http/tls.h"

namespace hai::http {

std::string ClientResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(),
                   [](char a, char b) { return ::tolower(a) == ::tolower(b); }))
      return v;
  }
  return "";
}

struct Client::Impl {
  // Why an exchange failed, in words.
  std::string Failure(httplib::Error error) const {
    if (ssl && error == httplib::Error::SSLServerVerification)
      return CertificateRejection(ssl->get_openssl_verify_result(), host);
    if (error == httplib::Error::SSLLoadingCerts)
      return ca_file.empty() ? "cannot load the system's CA store"
                             : "cannot load the CA file " + ca_file;
    return httplib::to_string(error);
  }

  std::unique_ptr<httplib::ClientImpl> client;
  httplib::SSLClient* ssl = nullptr;  // `client`, when it speaks TLS
  std::string host;
  std::string ca_file;
  std::string where;
};

Client::Client(std::string host, int port, int timeout_ms)
    : Client(HttpUrl{std::move(host), port, false}, "", timeout_ms) {}

Client::Client(const HttpUrl& url, const std::string& ca_file, int timeout_ms)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = url.host;
  // The peer as errors name it: host:port, or the https:// URL.
  impl_->where = url.https ? url.ToString() : url.host + ":" + std::to_string(url.port);
  if (url.https) {
    auto ssl = std::make_unique<httplib::SSLClient>(url.host, url.port);
    if (!ca_file.empty()) ssl->set_ca_cert_path(ca_file);
    ssl->enable_server_certificate_verification(true);
    if (SSL_CTX* ctx = ssl->ssl_context()) ConfigureClientTls(ctx);
    impl_->ssl = ssl.get();
    impl_->ca_file = ca_file;
    impl_->client = std::move(ssl);
    IgnoreBrokenPipes();
  } else {
    impl_->client = std::make_unique<httplib::ClientImpl>(url.host, url.port);
  }
  auto timeout = std::chrono::milliseconds(timeout_ms);
  httplib::ClientImpl& client = *impl_->client;
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
}

Client::~Client() = default;

Result<ClientResponse> Client::Send(const std::string& method, const std::string& path,
                                    const std::string& body,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    const std::string& content_type) {
  httplib::Headers h;
  for (const auto& [k, v] : headers) h.emplace(k, v);
  httplib::Result r{nullptr, httplib::Error::Unknown};
  const char* ct = content_type.c_str();
  if (method == "GET") r = impl_->client->Get(path, h);
  else if (method == "POST") r = impl_->client->Post(path, h, body, ct);
  else if (method == "PUT") r = impl_->client->Put(path, h, body, ct);
  else if (method == "PATCH") r = impl_->client->Patch(path, h, body, ct);
  else if (method == "DELETE") r = impl_->client->Delete(path, h, body, ct);
  else return Status::InvalidArgument("unsupported method " + method);
  if (!r)
    return Status::Unavailable(method + " " + impl_->where + path + ": " +
                               impl_->Failure(r.error()));
  ClientResponse out;
  out.status = r->status;
  out.body = r->body;
  for (const auto& [k, v] : r->headers) out.headers.emplace(k, v);
  return out;
}

Result<ClientResponse> Client::SendStreaming(
    const std::string& method, const std::string& path, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::function<bool(std::string_view data)>& on_data, const std::string& content_type) {
  return SendStreaming(method, path, body, headers, nullptr, on_data, content_type);
}

Result<ClientResponse> Client::SendStreaming(
    const std::string& method, const std::string& path, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::function<bool(const ClientResponse& head)>& on_head,
    const std::function<bool(std::string_view data)>& on_data, const std::string& content_type) {
  httplib::Request req;
  req.method = method;
  req.path = path;
  for (const auto& [k, v] : headers) req.headers.emplace(k, v);
  if (!body.empty() || method != "GET") {
    req.body = body;
    req.headers.emplace("Content-Type", content_type);
  }
  if (on_head)
    req.response_handler = [&on_head](const httplib::Response& head) {
      ClientResponse out;
      out.status = head.status;
      for (const auto& [k, v] : head.headers) out.headers.emplace(k, v);
      return on_head(out);
    };
  req.content_receiver = [&on_data](const char* data, size_t length, uint64_t /*offset*/,
                                     uint64_t /*total*/) {
    return on_data(std::string_view(data, length));
  };
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  if (!impl_->client->send(req, res, error)) {
    // A half-read answer must not be reused on a kept-alive connection.
    impl_->client->stop();
    return Status::Unavailable(method + " " + impl_->where + path + ": " + impl_->Failure(error));
  }
  ClientResponse out;
  out.status = res.status;
  for (const auto& [k, v] : res.headers) out.headers.emplace(k, v);
  return out;
}

void Client::SkipServerCertificateVerification() {
  if (impl_->ssl) impl_->ssl->enable_server_certificate_verification(false);
}

void Client::SetConnectTimeout(int timeout_ms) {
  impl_->client->set_connection_timeout(std::chrono::milliseconds(timeout_ms));
}

void Client::Cancel() { impl_->client->stop(); }

void CancelUntil(Client& client, std::unique_lock<std::mutex>& lock,
                 std::condition_variable& changed, const std::function<bool()>& done) {
  while (!done()) {
    lock.unlock();
    client.Cancel();
    lock.lock();
    changed.wait_for(lock, std::chrono::milliseconds(50), done);
  }
}

}  // namespace hai::http
