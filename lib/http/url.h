#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai::http {

struct HttpUrl {
  std::string host;
  int port = 80;
};

// "http://host:port" (no path, no TLS yet) → host and port; errors name `field`.
Result<HttpUrl> ParseHttpUrl(const std::string& url, const std::string& field);

}  // namespace hai::http
