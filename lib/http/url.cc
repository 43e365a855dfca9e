#include "lib/http/url.h"

#include <charconv>

namespace hai::http {

Result<HttpUrl> ParseHttpUrl(const std::string& url, const std::string& field) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    return Status::InvalidArgument(field + ": '" + url + "' must start with http://", field);
  std::string rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos)
    return Status::InvalidArgument(field + ": '" + url + "' must not have a path", field);
  HttpUrl out;
  size_t colon = rest.rfind(':');
  out.host = colon == std::string::npos ? rest : rest.substr(0, colon);
  if (colon != std::string::npos) {
    std::string port = rest.substr(colon + 1);
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
    if (ec != std::errc() || p != port.data() + port.size() || out.port < 1 || out.port > 65535)
      return Status::InvalidArgument(field + ": '" + url + "' has a bad port", field);
  }
  if (out.host.empty()) return Status::InvalidArgument(field + ": '" + url + "' has no host", field);
  return out;
}

}  // namespace hai::http
