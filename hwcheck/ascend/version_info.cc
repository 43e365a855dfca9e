#include "hwcheck/ascend/version_info.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

using accel::TrimText;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

int CompareSegment(std::string_view a, std::string_view b) {
  if (AllDigits(a) && AllDigits(b)) {
    // Strip leading zeros, then the longer number is the larger.
    a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
    b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  std::string la = Lower(a), lb = Lower(b);
  return la < lb ? -1 : (la > lb ? 1 : 0);
}

// "[7.0.0,7.1.99],[7.2]" → {"7.0.0,7.1.99", "7.2"}; "7.1,7.2" → {"7.1", "7.2"}.
Result<std::vector<std::string>> Groups(std::string_view text) {
  std::vector<std::string> groups;
  if (text.find('[') == std::string_view::npos) {
    for (std::string_view v : accel::SplitAny(text, ", ")) groups.emplace_back(v);
    return groups;
  }
  size_t at = 0;
  while (at < text.size()) {
    size_t open = text.find('[', at);
    if (open == std::string_view::npos) break;
    size_t close = text.find(']', open);
    if (close == std::string_view::npos)
      return Status::InvalidArgument("compatible_version_fw: unbalanced '['");
    groups.emplace_back(TrimText(text.substr(open + 1, close - open - 1)));
    at = close + 1;
  }
  return groups;
}

}  // namespace

std::string VersionInfo::Get(std::string_view key) const {
  std::string want = Lower(key);
  for (const auto& [k, v] : keys)
    if (Lower(k) == want) return v;
  return {};
}

VersionInfo ParseVersionInfo(std::string_view text) {
  VersionInfo info;
  for (std::string_view line : accel::SplitLines(text)) {
    line = TrimText(line);
    size_t eq = line.find('=');
    if (line.empty() || line.front() == '#' || eq == std::string_view::npos || eq == 0) continue;
    info.keys.emplace(std::string(TrimText(line.substr(0, eq))),
                      std::string(TrimText(line.substr(eq + 1))));
  }
  return info;
}

int CompareVersions(std::string_view a, std::string_view b, bool as_prefix) {
  std::vector<std::string_view> sa = accel::SplitAny(a, ".-_ ");
  std::vector<std::string_view> sb = accel::SplitAny(b, ".-_ ");
  size_t n = std::max(sa.size(), sb.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= sb.size()) return as_prefix ? 0 : 1;
    if (i >= sa.size()) return -1;
    int c = CompareSegment(sa[i], sb[i]);
    if (c != 0) return c;
  }
  return 0;
}

Result<bool> FirmwareCompatible(std::string_view firmware, std::string_view compatible) {
  compatible = TrimText(compatible);
  if (compatible.empty()) return Status::InvalidArgument("compatible_version_fw is empty");
  HAI_ASSIGN_OR_RETURN(std::vector<std::string> groups, Groups(compatible));
  if (groups.empty()) return Status::InvalidArgument("compatible_version_fw lists no version");
  for (const std::string& group : groups) {
    std::vector<std::string_view> bounds = accel::SplitAny(group, ", ");
    if (bounds.size() == 2) {
      if (CompareVersions(firmware, bounds[0], true) >= 0 &&
          CompareVersions(firmware, bounds[1], true) <= 0)
        return true;
    } else {
      for (std::string_view v : bounds)
        if (CompareVersions(firmware, v, true) == 0) return true;
    }
  }
  return false;
}

}  // namespace hai::hwcheck::ascend
