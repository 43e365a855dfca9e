#include "hwcheck/ascend/dmi_result.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

using accel::TrimText;

// Splits a header on two or more blanks, a tab or a `|`.
std::vector<std::string_view> HeaderColumns(std::string_view line) {
  std::vector<std::string_view> columns;
  size_t start = std::string_view::npos;
  for (size_t i = 0; i <= line.size(); ++i) {
    bool sep = i == line.size() || line[i] == '\t' || line[i] == '|' ||
               (line[i] == ' ' && i + 1 < line.size() && line[i + 1] == ' ') ||
               (line[i] == ' ' && i + 1 == line.size());
    if (sep) {
      if (start != std::string_view::npos) {
        std::string_view c = TrimText(line.substr(start, i - start));
        if (!c.empty()) columns.push_back(c);
      }
      start = std::string_view::npos;
    } else if (start == std::string_view::npos && line[i] != ' ') {
      start = i;
    }
  }
  return columns;
}

bool Contains(std::string_view s, std::string_view key) {
  return s.find(key) != std::string_view::npos;
}

}  // namespace

Result<std::vector<DmiValue>> ParseDmiTable(std::string_view text,
                                            const std::vector<std::string_view>& value_keys) {
  std::vector<DmiValue> rows;
  int value_col = -1, device_col = -1;
  size_t width = 0;
  bool saw_header = false;
  for (std::string_view line : accel::SplitLines(text)) {
    std::vector<std::string_view> header = HeaderColumns(line);
    int v = -1, d = -1;
    for (size_t i = 0; i < header.size(); ++i) {
      if (v < 0 && std::any_of(value_keys.begin(), value_keys.end(),
                               [&](std::string_view k) { return Contains(header[i], k); }))
        v = static_cast<int>(i);
      if (d < 0 && (header[i].starts_with("Device") || header[i].starts_with("NPU")))
        d = static_cast<int>(i);
    }
    // A header names its value column and has no number in it.
    if (v >= 0 && !accel::ParseToolNumber(header[v])) {
      saw_header = true;
      value_col = v;
      device_col = d;
      width = header.size();
      continue;
    }
    if (value_col < 0) continue;
    std::vector<std::string_view> cells = accel::SplitAny(TrimText(line), " \t|");
    if (cells.size() != width) continue;
    std::optional<double> value = accel::ParseToolNumber(cells[value_col]);
    if (!value) continue;
    DmiValue row;
    row.value = *value;
    if (device_col >= 0) {
      std::optional<double> dev = accel::ParseToolNumber(cells[device_col]);
      if (!dev) continue;
      row.device = static_cast<int>(*dev);
    }
    rows.push_back(row);
  }
  if (!saw_header) return Status::InvalidArgument("ascend-dmi: no result header in the output");
  if (rows.empty()) return Status::InvalidArgument("ascend-dmi: no result row under the header");
  return rows;
}

Result<std::vector<DmiValue>> ParseDmiBandwidth(std::string_view text) {
  return ParseDmiTable(text, {"Bandwidth", "GB/s"});
}

Result<std::vector<DmiValue>> ParseDmiCompute(std::string_view text) {
  return ParseDmiTable(text, {"TFLOPS"});
}

std::vector<DmiValue> BestPerDevice(const std::vector<DmiValue>& rows) {
  std::map<int, double> best;
  int next = 0;
  for (const DmiValue& row : rows) {
    int device = row.device >= 0 ? row.device : next++;
    auto [it, added] = best.emplace(device, row.value);
    if (!added) it->second = std::max(it->second, row.value);
  }
  std::vector<DmiValue> out;
  for (const auto& [device, value] : best) out.push_back({device, value});
  return out;
}

}  // namespace hai::hwcheck::ascend
