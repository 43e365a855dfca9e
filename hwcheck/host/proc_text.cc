#include "hwcheck/host/proc_text.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::host {
namespace {

// "key\t: value" → {key, value}, both trimmed; false without a colon.
bool SplitField(std::string_view line, std::string_view* key, std::string_view* value) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  *key = accel::TrimText(line.substr(0, colon));
  *value = accel::TrimText(line.substr(colon + 1));
  return true;
}

}  // namespace

CpuInfo ParseCpuInfo(std::string_view text) {
  CpuInfo info;
  std::string implementer, part;
  for (std::string_view line : accel::SplitLines(text)) {
    std::string_view key, value;
    if (!SplitField(line, &key, &value)) continue;
    if (key == "processor") {
      ++info.logical_cpus;
    } else if (key == "model name" && info.model.empty()) {
      info.model = std::string(value);
    } else if (key == "CPU implementer" && implementer.empty()) {
      implementer = std::string(value);
    } else if (key == "CPU part" && part.empty()) {
      part = std::string(value);
    }
  }
  if (info.model.empty() && !implementer.empty())
    info.model = "arm64 implementer " + implementer + " part " + part;
  return info;
}

std::optional<int64_t> ParseMemTotalMib(std::string_view text) {
  for (std::string_view line : accel::SplitLines(text)) {
    std::string_view key, value;
    if (!SplitField(line, &key, &value) || key != "MemTotal") continue;
    int64_t kib = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), kib);
    if (ec != std::errc() || accel::TrimText(std::string_view(end, value.end() - end)) != "kB")
      return std::nullopt;
    return kib / 1024;
  }
  return std::nullopt;
}

std::string SelectedChoice(std::string_view text) {
  size_t open = text.find('[');
  size_t close = text.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return "";
  return std::string(text.substr(open + 1, close - open - 1));
}

std::optional<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

std::string Trimmed(std::string_view text) { return std::string(accel::TrimText(text)); }

}  // namespace hai::hwcheck::host
