#include "lib/engine_profile/placeholder.h"

#include <cstdio>

namespace hai::engine_profile {
namespace {

// "{name}". Built by appending: GCC 12's -Wrestrict misfires on `"{" + std::string(…)` at -O3.
std::string Braced(std::string_view name) { return std::string("{").append(name).append("}"); }

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// One placeholder found at `begin` (the '{'), spanning to `end` (past '}').
struct Match {
  size_t begin = 0;
  size_t end = 0;
  std::string_view name;
};

// Calls `on_match` for each placeholder and stops at the first error.
template <typename OnMatch>
Status Scan(std::string_view text, OnMatch on_match) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{' || i + 1 >= text.size() || !IsNameStart(text[i + 1])) continue;
    size_t k = i + 1;
    while (k < text.size() && IsNameChar(text[k])) ++k;
    if (k >= text.size() || text[k] != '}') continue;
    std::string_view name = text.substr(i + 1, k - i - 1);
    if (i > 0 && text[i - 1] == '{' && k + 1 < text.size() && text[k + 1] == '}') {
      std::string message = "\"{";
      message += Braced(name);
      message += "}\": placeholders take single braces, write ";
      message += Braced(name);
      return Status::InvalidArgument(message);
    }
    HAI_RETURN_IF_ERROR(on_match(Match{i, k + 1, name}));
    i = k;
  }
  return Status::Ok();
}

}  // namespace

const std::vector<std::string_view>& LaunchPlaceholderNames() {
  static const std::vector<std::string_view> names = {
      "model_path",   "served_name", "host",   "port",           "device_ids", "logical_device_ids",
      "device_count", "tp",          "vendor", "engine_bin_dir", "work_dir"};
  return names;
}

bool IsLaunchPlaceholder(std::string_view name) {
  for (std::string_view n : LaunchPlaceholderNames())
    if (n == name) return true;
  return false;
}

Result<std::vector<std::string>> PlaceholderNames(std::string_view text) {
  std::vector<std::string> names;
  HAI_RETURN_IF_ERROR(Scan(text, [&](const Match& m) {
    names.emplace_back(m.name);
    return Status::Ok();
  }));
  return names;
}

Result<std::string> Expand(std::string_view text, const Lookup& lookup, Escape escape) {
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  HAI_RETURN_IF_ERROR(Scan(text, [&](const Match& m) {
    const std::string* value = lookup(m.name);
    if (!value)
      return Status::InvalidArgument(Braced(m.name) + " has no value", std::string(m.name));
    out.append(text.substr(copied, m.begin - copied));
    out += escape == Escape::kJsonString ? JsonEscape(*value) : *value;
    copied = m.end;
    return Status::Ok();
  }));
  out.append(text.substr(copied));
  return out;
}

std::string JsonEscape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out;
}

}  // namespace hai::engine_profile
