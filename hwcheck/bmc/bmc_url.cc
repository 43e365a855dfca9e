// --bmc URLs: scheme://user[:password]@host[:port][/]. The password never
// appears in an error message, whatever is wrong with it.
#include <string_view>

#include "hwcheck/bmc/bmc_readers.h"

namespace hai::hwcheck::bmc {

namespace {

constexpr std::string_view kSchemes = "(ipmi://, redfish+https://)";

Status Bad(const std::string& what) { return Status::InvalidArgument("--bmc: " + what, "bmc"); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX → the byte; `part` names what is decoded for the error.
Result<std::string> PercentDecode(std::string_view text, const std::string& part) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) return Bad("bad percent escape in the " + part + " (want %XX)");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

int DefaultPort(std::string_view scheme) {
  if (scheme == "ipmi") return 623;
  if (scheme == "redfish+https") return 443;
  return 80;
}

Status ParseHostPort(std::string_view text, BmcTarget* target) {
  std::string_view port;
  if (!text.empty() && text.front() == '[') {  // [IPv6]:port
    size_t close = text.find(']');
    if (close == std::string_view::npos) return Bad("unclosed '[' in the host");
    target->host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return Bad("junk after the host's ']'");
    if (!rest.empty()) port = rest.substr(1);
    if (rest == ":") return Bad("empty port after ':'");
  } else {
    size_t colon = text.rfind(':');
    target->host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = text.substr(colon + 1);
      if (port.empty()) return Bad("empty port after ':'");
    }
  }
  if (target->host.empty()) return Bad("missing host (want user:password@host[:port])");
  for (char c : target->host) {
    if (c == '/' || c == '@' || c == ' ' || c == '?' || c == '#')
      return Bad("bad character '" + std::string(1, c) + "' in the host");
  }
  if (port.empty()) {
    target->port = DefaultPort(target->scheme);
    return Status::Ok();
  }
  int value = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || value > 65535) return Bad("bad port '" + std::string(port) + "'");
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return Bad("bad port '" + std::string(port) + "' (1-65535)");
  target->port = value;
  return Status::Ok();
}

}  // namespace

std::string BmcTarget::Endpoint() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<BmcTarget> ParseBmcUrl(const std::string& url) {
  BmcTarget target;
  size_t sep = url.find("://");
  if (sep == std::string::npos)
    return Bad("want a URL like ipmi://user:password@host " + std::string(kSchemes));
  target.scheme = url.substr(0, sep);
  if (target.scheme != "ipmi" && target.scheme != "redfish+https" &&
      target.scheme != "redfish+http")
    return Bad("unknown scheme '" + target.scheme + "' " + std::string(kSchemes));
  std::string_view rest = std::string_view(url).substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // The last '@' ends the credentials: a password may hold a raw '@'.
  size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return Bad("missing user (want user:password@host)");
  std::string_view credentials = rest.substr(0, at);
  std::string_view host_port = rest.substr(at + 1);
  if (host_port.find('/') != std::string_view::npos)
    return Bad("a path is not allowed after the host");
  size_t colon = credentials.find(':');
  HAI_ASSIGN_OR_RETURN(target.user, PercentDecode(credentials.substr(0, colon), "user"));
  if (target.user.empty()) return Bad("missing user (want user:password@host)");
  if (colon != std::string_view::npos) {
    HAI_ASSIGN_OR_RETURN(target.password, PercentDecode(credentials.substr(colon + 1), "password"));
  }
  HAI_RETURN_IF_ERROR(ParseHostPort(host_port, &target));
  return target;
}

}  // namespace hai::hwcheck::bmc
