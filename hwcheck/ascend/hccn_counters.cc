#include "hwcheck/ascend/hccn_counters.h"

#include <charconv>
#include <optional>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

using accel::TrimText;

std::optional<double> Number(std::string_view s) {
  s = TrimText(s);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool WatchedForErrors(std::string_view name) {
  return (name.starts_with("roce_") && name.find("err") != std::string_view::npos) ||
         name == "cw_uncorrect_cnt";
}

}  // namespace

HccnCounters ParseHccnCounters(std::string_view text) {
  HccnCounters counters;
  for (std::string_view line : accel::SplitLines(text)) {
    size_t sep = line.find(':');
    if (sep == std::string_view::npos) continue;
    std::string_view name = TrimText(line.substr(0, sep));
    std::optional<double> value = Number(line.substr(sep + 1));
    if (name.empty() || !value) continue;
    counters[std::string(name)] = *value;
  }
  return counters;
}

std::map<std::string, double> ErrorCounterGrowth(const HccnCounters& before,
                                                 const HccnCounters& after) {
  std::map<std::string, double> grown;
  for (const auto& [name, value] : after) {
    if (!WatchedForErrors(name)) continue;
    auto it = before.find(name);
    double was = it == before.end() ? 0 : it->second;
    if (value > was) grown[name] = value - was;
  }
  return grown;
}

Result<LinkStat> ParseHccnLinkStat(std::string_view text) {
  LinkStat stat;
  for (std::string_view line : accel::SplitLines(text)) {
    if (line.starts_with("[devid")) {
      size_t close = line.find(']');
      if (close != std::string_view::npos) line = line.substr(close + 1);
    }
    line = TrimText(line);
    if (line.starts_with("link up count")) {
      size_t sep = line.find(':');
      std::optional<double> v =
          sep == std::string_view::npos ? std::nullopt : Number(line.substr(sep + 1));
      if (v) stat.link_up_count = static_cast<int>(*v);
    } else if (line.ends_with("LINK UP")) {
      ++stat.up_records;
    } else if (line.ends_with("LINK DOWN")) {
      ++stat.down_records;
    }
  }
  if (stat.link_up_count < 0)
    return Status::InvalidArgument("hccn_tool -link_stat: no `link up count` line in the output");
  return stat;
}

}  // namespace hai::hwcheck::ascend
