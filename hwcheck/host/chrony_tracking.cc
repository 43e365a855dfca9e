#include "hwcheck/host/chrony_tracking.h"

#include <cstdlib>
#include <string>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::host {
namespace {

// "0.000006523 seconds slow of NTP time" → −0.000006523.
std::optional<double> ParseSystemTime(const std::string& value) {
  const char* begin = value.c_str();
  char* end = nullptr;
  double seconds = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  std::string_view rest = accel::TrimText(std::string_view(end));
  if (rest.starts_with("seconds fast")) return seconds;
  if (rest.starts_with("seconds slow")) return -seconds;
  return std::nullopt;
}

}  // namespace

std::optional<ChronyTracking> ParseChronyTracking(std::string_view text) {
  std::vector<accel::KeyValueBlock> blocks = accel::ParseKeyValueBlocks(text);
  if (blocks.empty()) return std::nullopt;
  const accel::KeyValueBlock& kv = blocks.front();
  auto leap = kv.find("Leap status");
  if (leap == kv.end()) return std::nullopt;
  ChronyTracking t;
  t.leap_status = leap->second;
  if (auto ref = kv.find("Reference ID"); ref != kv.end()) t.reference = ref->second;
  if (auto sys = kv.find("System time"); sys != kv.end())
    t.system_offset_s = ParseSystemTime(sys->second);
  return t;
}

}  // namespace hai::hwcheck::host
