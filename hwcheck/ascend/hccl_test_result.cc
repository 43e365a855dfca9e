#include "hwcheck/ascend/hccl_test_result.h"

#include <optional>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

bool Has(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool IsFailureLine(std::string_view line) {
  return (Has(line, "rank id") && Has(line, "check result failed")) ||
         Has(line, "HcclGetRootInfo failed") ||
         Has(line, "topo exchange server get socket timeout");
}

}  // namespace

const HcclRow* HcclTestResult::Largest() const {
  const HcclRow* best = nullptr;
  for (const HcclRow& row : rows)
    if (!best || row.bytes >= best->bytes) best = &row;
  return best;
}

Result<HcclTestResult> ParseHcclTest(std::string_view text) {
  HcclTestResult result;
  bool header = false;
  for (std::string_view line : accel::SplitLines(text)) {
    std::string_view trimmed = accel::TrimText(line);
    if (IsFailureLine(trimmed)) {
      result.failures.emplace_back(trimmed);
      continue;
    }
    if (Has(trimmed, "aveg_time") && Has(trimmed, "alg_bandwidth")) {
      header = true;
      continue;
    }
    if (!header) continue;
    std::vector<std::string_view> cells = accel::SplitAny(trimmed, " \t|");
    if (cells.size() < 4) continue;
    std::optional<double> bytes = accel::ParseToolNumber(cells[0]);
    std::optional<double> time = accel::ParseToolNumber(cells[1]);
    std::optional<double> bw = accel::ParseToolNumber(cells[2]);
    if (!bytes || !time || !bw) continue;
    result.rows.push_back({static_cast<int64_t>(*bytes), *time, *bw, std::string(cells[3])});
  }
  if (!header && result.failures.empty())
    return Status::InvalidArgument("hccl_test: no `aveg_time(us)` header in the output");
  return result;
}

double AllReduceBusBandwidth(double alg_bandwidth, int ranks) {
  if (ranks < 2) return 0;
  return alg_bandwidth * 2.0 * (ranks - 1) / ranks;
}

}  // namespace hai::hwcheck::ascend
