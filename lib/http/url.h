#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai::http {

struct HttpUrl {
  std::string host;
  int port = 80;
  // An https:// URL: the client speaks TLS and verifies the peer's
  // certificate (see Client).
  bool https = false;

  // "http://host:port" or "https://host:port".
  std::string ToString() const;
};

// Which schemes a URL may have. The portal and the gateway may serve HTTPS
// (their URLs may be https://); the scheduler, agents and engines speak
// plain HTTP on the firewalled cluster network.
enum class UrlSchemes { kHttpOnly, kHttpOrHttps };

// "http://host[:port]" (or "https://host[:port]" when `schemes` allows it; no
// path) → host, port (default 80 or 443) and scheme; errors name `field`.
Result<HttpUrl> ParseHttpUrl(const std::string& url, const std::string& field,
                             UrlSchemes schemes = UrlSchemes::kHttpOnly);

}  // namespace hai::http
