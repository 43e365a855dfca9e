#include "netconf/hccn_readback.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "lib/accel/tool_text.h"
#include "netconf/ip_text.h"

namespace hai::netconf {
namespace {

using accel::SplitLines;
using accel::TrimText;

std::vector<long> Numbers(std::string_view line) {
  std::vector<long> out;
  size_t i = 0;
  while (i < line.size()) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) {
      ++i;
      continue;
    }
    long v = 0;
    while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])) && v < 100000000)
      v = v * 10 + (line[i++] - '0');
    out.push_back(v);
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value after `key:` on a line (no spaces in hccn_tool's -ip output).
std::optional<std::string> After(std::string_view line, std::string_view key) {
  std::string_view t = TrimText(line);
  if (t.substr(0, key.size()) != key) return std::nullopt;
  return std::string(TrimText(t.substr(key.size())));
}

}  // namespace

std::optional<IpReadback> ParseHccnIp(std::string_view text) {
  IpReadback r;
  for (std::string_view line : SplitLines(text)) {
    if (auto v = After(line, "ipaddr:")) r.address = CanonicalAddress(*v);
    if (auto v = After(line, "netmask:")) r.netmask = CanonicalAddress(*v);
  }
  if (r.address.empty() || r.netmask.empty()) return std::nullopt;
  return r;
}

std::optional<std::string> ParseHccnAddress(std::string_view text) {
  for (std::string_view line : SplitLines(text)) {
    for (std::string_view token : accel::SplitAny(line, " \t:,;=")) {
      bool v6 = true;
      std::string a = CanonicalAddress(token, &v6);
      if (!a.empty() && !v6) return a;
    }
  }
  return std::nullopt;
}

std::map<int, int> ParseHccnDscpToTc(std::string_view text) {
  std::map<int, int> out;
  for (std::string_view line : SplitLines(text)) {
    std::vector<long> n = Numbers(line);
    if (n.size() == 2 && n[0] <= 63 && n[1] <= 7) out[static_cast<int>(n[0])] = static_cast<int>(n[1]);
  }
  return out;
}

std::optional<unsigned> ParseHccnPfc(std::string_view text) {
  for (std::string_view line : SplitLines(text)) {
    std::string_view t = TrimText(line);
    if (Lower(t.substr(0, 7)) != "enabled") continue;
    std::vector<long> n = Numbers(t);
    if (n.size() != 8) return std::nullopt;
    unsigned bitmap = 0;
    for (int p = 0; p < 8; ++p) {
      if (n[p] > 1) return std::nullopt;
      if (n[p]) bitmap |= 1u << p;
    }
    return bitmap;
  }
  return std::nullopt;
}

std::optional<std::array<int, 8>> ParseHccnPrioTc(std::string_view text) {
  std::vector<std::pair<std::string, std::vector<long>>> rows;
  for (std::string_view line : SplitLines(text)) {
    std::vector<long> n = Numbers(line);
    if (n.size() == 8) rows.emplace_back(Lower(line), n);
  }
  auto to_array = [](const std::vector<long>& n) -> std::optional<std::array<int, 8>> {
    std::array<int, 8> out{};
    for (int i = 0; i < 8; ++i) {
      if (n[i] > 7) return std::nullopt;
      out[i] = static_cast<int>(n[i]);
    }
    return out;
  };
  for (const auto& [line, n] : rows) {
    std::string label = line.substr(0, line.find_first_of("0123456789"));
    if (label.find("tc") != std::string::npos && label.find("prio") == std::string::npos)
      return to_array(n);
  }
  if (rows.size() == 1) return to_array(rows[0].second);
  return std::nullopt;
}

std::optional<int> ParseHccnMtu(std::string_view text) {
  std::vector<long> all;
  for (std::string_view line : SplitLines(text)) {
    std::vector<long> n = Numbers(line);
    if (Lower(line).find("mtu") != std::string::npos && n.size() == 1) return static_cast<int>(n[0]);
    all.insert(all.end(), n.begin(), n.end());
  }
  if (all.size() == 1) return static_cast<int>(all[0]);
  return std::nullopt;
}

}  // namespace hai::netconf
