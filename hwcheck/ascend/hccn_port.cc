#include "hwcheck/ascend/hccn_port.h"

#include <cctype>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

using accel::TrimText;

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

// The trimmed text after `key` on the first line that starts with it
// (ignoring case and leading blanks); nullopt when no line does.
std::optional<std::string_view> After(std::string_view text, std::string_view key) {
  for (std::string_view line : accel::SplitLines(text)) {
    line = TrimText(line);
    if (StartsWithNoCase(line, key)) return TrimText(line.substr(key.size()));
  }
  return std::nullopt;
}

Status Missing(std::string_view command, std::string_view key) {
  return Status::InvalidArgument("hccn_tool " + std::string(command) + ": no `" + std::string(key) +
                                 "` line in the output");
}

}  // namespace

Result<std::string> ParseHccnLink(std::string_view text) {
  std::optional<std::string_view> v = After(text, "link status:");
  if (!v || v->empty()) return Missing("-link", "link status:");
  return std::string(*v);
}

Result<std::optional<int64_t>> ParseHccnSpeed(std::string_view text) {
  std::optional<std::string_view> v = After(text, "Speed:");
  if (!v || v->empty()) return Missing("-speed", "Speed:");
  std::vector<std::string_view> tokens = accel::SplitAny(*v, " \t");
  std::optional<double> mbps = accel::ParseToolNumber(tokens[0]);
  if (!mbps) return std::optional<int64_t>();  // "Unknown!" while the link is down
  return std::optional<int64_t>(static_cast<int64_t>(*mbps));
}

Result<std::string> ParseHccnNetHealth(std::string_view text) {
  std::optional<std::string_view> v = After(text, "net health status:");
  if (!v || v->empty()) return Missing("-net_health", "net health status:");
  return std::string(*v);
}

Result<std::string> ParseHccnFec(std::string_view text) {
  std::optional<std::string_view> v = After(text, "fec mode:");
  if (!v || v->empty()) return Missing("-fec", "fec mode:");
  std::vector<std::string_view> tokens = accel::SplitAny(*v, " \t");
  return std::string(tokens[0]);
}

Result<std::string> ParseHccnTls(std::string_view text) {
  for (std::string_view line : accel::SplitLines(text)) {
    size_t at = line.find("switch");
    if (at == std::string_view::npos) continue;
    std::string_view rest = line.substr(at + 6);
    size_t start = rest.find_first_not_of(" \t[:=");
    if (start == std::string_view::npos) break;
    rest = rest.substr(start);
    if (rest.starts_with("0")) return std::string("disable");
    if (rest.starts_with("1")) return std::string("enable");
    size_t end = rest.find_first_of(" \t],(");
    return std::string(rest.substr(0, end));
  }
  return Missing("-tls", "switch");
}

Result<HccnIp> ParseHccnIp(std::string_view text) {
  std::optional<std::string_view> address = After(text, "ipaddr:");
  if (!address || address->empty()) return Missing("-ip", "ipaddr:");
  HccnIp ip;
  ip.address = std::string(*address);
  if (std::optional<std::string_view> mask = After(text, "netmask:"))
    ip.netmask = std::string(*mask);
  return ip;
}

bool NetHealthOk(std::string_view status) { return status == "Success" || status == "Init"; }

}  // namespace hai::hwcheck::ascend
