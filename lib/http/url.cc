#include "lib/http/url.h"

#include <charconv>

namespace hai::http {

std::string HttpUrl::ToString() const {
  return std::string(https ? "https://" : "http://") + host + ":" + std::to_string(port);
}

Result<HttpUrl> ParseHttpUrl(const std::string& url, const std::string& field, UrlSchemes schemes) {
  HttpUrl out;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0 && schemes == UrlSchemes::kHttpOrHttps) {
    rest = url.substr(8);
    out.https = true;
    out.port = 443;
  } else if (url.rfind("https://", 0) == 0) {
    return Status::InvalidArgument(
        field + ": '" + url + "' must start with http:// (this peer serves plain HTTP)", field);
  } else {
    return Status::InvalidArgument(
        field + ": '" + url + "' must start with " +
            (schemes == UrlSchemes::kHttpOrHttps ? "http:// or https://" : "http://"),
        field);
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos)
    return Status::InvalidArgument(field + ": '" + url + "' must not have a path", field);
  size_t colon = rest.rfind(':');
  out.host = colon == std::string::npos ? rest : rest.substr(0, colon);
  if (colon != std::string::npos) {
    std::string port = rest.substr(colon + 1);
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
    if (ec != std::errc() || p != port.data() + port.size() || out.port < 1 || out.port > 65535)
      return Status::InvalidArgument(field + ": '" + url + "' has a bad port", field);
  }
  if (out.host.empty())
    return Status::InvalidArgument(field + ": '" + url + "' has no host", field);
  return out;
}

}  // namespace hai::http
