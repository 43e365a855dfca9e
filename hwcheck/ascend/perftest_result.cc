#include "hwcheck/ascend/perftest_result.h"

#include <optional>
#include <string>
#include <vector>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

using accel::ParseToolNumber;

// Header tokens glued back into column names: "BW" belongs to the token after
// it ("BW peak[Gb/sec]").
std::vector<std::string> Columns(std::string_view header) {
  std::vector<std::string> columns;
  std::string pending;
  for (std::string_view token : accel::SplitAny(header, " \t")) {
    if (token == "BW") {
      pending = "BW ";
      continue;
    }
    columns.push_back(pending + std::string(token));
    pending.clear();
  }
  return columns;
}

// Gb/s per one of the header's units.
std::optional<double> ToGbps(std::string_view column) {
  if (column.find("[Gb/sec]") != std::string_view::npos) return 1.0;
  if (column.find("[MiB/sec]") != std::string_view::npos) return 1048576.0 * 8 / 1e9;
  if (column.find("[MB/sec]") != std::string_view::npos) return 1e6 * 8 / 1e9;
  return std::nullopt;
}

}  // namespace

Result<PerftestBandwidth> ParsePerftestBandwidth(std::string_view text) {
  std::vector<std::string> columns;
  for (std::string_view line : accel::SplitLines(text)) {
    std::string_view trimmed = accel::TrimText(line);
    if (trimmed.starts_with("#bytes")) {
      columns = Columns(trimmed);
      continue;
    }
    if (columns.empty()) continue;
    std::vector<std::string_view> cells = accel::SplitAny(trimmed, " \t");
    if (cells.size() < columns.size() || !ParseToolNumber(cells[0])) continue;
    PerftestBandwidth bw;
    for (size_t i = 0; i < columns.size(); ++i) {
      std::optional<double> v = ParseToolNumber(cells[i]);
      if (!v) continue;
      const std::string& c = columns[i];
      if (c == "#bytes")
        bw.bytes = static_cast<int64_t>(*v);
      else if (c == "#iterations")
        bw.iterations = static_cast<int64_t>(*v);
      else if (c.starts_with("BW peak") && ToGbps(c))
        bw.peak_gbps = *v * *ToGbps(c);
      else if (c.starts_with("BW average") && ToGbps(c))
        bw.average_gbps = *v * *ToGbps(c);
    }
    if (bw.average_gbps < 0)
      return Status::InvalidArgument("ib_write_bw: the result row has no `BW average` value");
    return bw;
  }
  return Status::InvalidArgument(columns.empty()
                                     ? "ib_write_bw: no `#bytes` result header in the output"
                                     : "ib_write_bw: no result row under the header");
}

}  // namespace hai::hwcheck::ascend
