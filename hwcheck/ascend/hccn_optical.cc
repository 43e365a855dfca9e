#include "hwcheck/ascend/hccn_optical.h"

#include <cctype>
#include <charconv>
#include <cstdio>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

using accel::TrimText;

// "Tx Power0" → "txpower0".
std::string Squash(std::string_view key) {
  std::string out;
  for (char c : key)
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '_')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The leading number of "0.9812 mW" / "45 C".
std::optional<double> Leading(std::string_view value) {
  value = TrimText(value);
  double v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end == value.data()) return std::nullopt;
  return v;
}

// "txpower0" with prefix "txpower" → lane 0; -1 when no lane digit follows.
int Lane(std::string_view key, std::string_view prefix) {
  if (!key.starts_with(prefix) || key.size() == prefix.size()) return -1;
  std::string_view rest = key.substr(prefix.size());
  int lane = -1;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), lane);
  return (ec == std::errc() && end == rest.data() + rest.size()) ? lane : -1;
}

void SetLane(std::vector<double>* lanes, int lane, double value) {
  if (lane < 0 || lane > 63) return;  // bounded: modules have 1–8 lanes
  if (static_cast<int>(lanes->size()) <= lane) lanes->resize(lane + 1, 0.0);
  (*lanes)[lane] = value;
}

std::string Mw(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f mW", v);
  return buf;
}

void CheckLanes(const char* what, const std::vector<double>& lanes, std::optional<double> low,
                std::optional<double> high, std::vector<std::string>* problems) {
  for (size_t i = 0; i < lanes.size(); ++i) {
    std::string lane = std::string(what) + std::to_string(i) + " " + Mw(lanes[i]);
    if (low && lanes[i] < *low) problems->push_back(lane + " below the low threshold " + Mw(*low));
    if (high && lanes[i] > *high)
      problems->push_back(lane + " above the high threshold " + Mw(*high));
  }
}

}  // namespace

Result<OpticalInfo> ParseHccnOptical(std::string_view text) {
  OpticalInfo info;
  bool saw_present = false;
  for (std::string_view line : accel::SplitLines(text)) {
    size_t sep = line.find(':');
    if (sep == std::string_view::npos) continue;
    std::string_view raw_key = TrimText(line.substr(0, sep));
    std::string_view value = TrimText(line.substr(sep + 1));
    std::string key = Squash(raw_key);
    if (key == "present") {
      saw_present = true;
      info.present_text = std::string(value);
      std::string v = Squash(value);
      info.present = v == "present" || v == "1" || v == "yes" || v == "true";
    } else if (key == "vendor") {
      info.vendor = std::string(value);
    } else if (key == "temperature") {
      info.temperature_c = Leading(value);
    } else if (key.find("flag") != std::string::npos &&
               (key.find("los") != std::string::npos || key.find("lol") != std::string::npos)) {
      info.flags.emplace_back(std::string(raw_key), std::string(value));
    } else if (std::optional<double> v = Leading(value)) {
      if (key.starts_with("txpowerhigh"))
        info.tx_high_mw = v;
      else if (key.starts_with("txpowerlow"))
        info.tx_low_mw = v;
      else if (key.starts_with("rxpowerhigh"))
        info.rx_high_mw = v;
      else if (key.starts_with("rxpowerlow"))
        info.rx_low_mw = v;
      else if (Lane(key, "txpower") >= 0)
        SetLane(&info.tx_power_mw, Lane(key, "txpower"), *v);
      else if (Lane(key, "rxpower") >= 0)
        SetLane(&info.rx_power_mw, Lane(key, "rxpower"), *v);
    }
  }
  if (!saw_present)
    return Status::InvalidArgument("hccn_tool -optical: no `present` line in the output");
  return info;
}

std::vector<std::string> OpticalProblems(const OpticalInfo& info) {
  std::vector<std::string> problems;
  if (!info.present) {
    problems.push_back("module not present (" + info.present_text + ")");
    return problems;
  }
  CheckLanes("Tx Power", info.tx_power_mw, info.tx_low_mw, info.tx_high_mw, &problems);
  CheckLanes("Rx Power", info.rx_power_mw, info.rx_low_mw, info.rx_high_mw, &problems);
  for (const auto& [key, value] : info.flags) {
    std::optional<long> flag;
    long v = 0;
    std::string_view s = value;
    int base = 10;
    if (s.starts_with("0x") || s.starts_with("0X")) {
      s.remove_prefix(2);
      base = 16;
    }
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec == std::errc() && end == s.data() + s.size()) flag = v;
    if (!flag)
      problems.push_back(key + " unreadable (" + value + ")");
    else if (*flag != 0)
      problems.push_back(key + " " + value);
  }
  return problems;
}

}  // namespace hai::hwcheck::ascend
