#include <cstdio>
#include <string>

#include "hwcheck/host/host_check_parts.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck {

void RunHostChecks(const CheckContext& ctx, Findings* out) {
  // Everything here is r1: inventory and health of the host itself.
  host::AddCpuMemoryChecks(ctx, out);
  host::AddEdacChecks(ctx, out);
  host::AddDiskChecks(ctx, out);
  host::AddKernelChecks(ctx, out);
  host::AddNtpChecks(ctx, out);
  host::AddDmiAssets(ctx, out);
}

namespace host {

std::optional<double> BaselineNumber(const CheckContext& ctx, std::string_view id) {
  if (ctx.baseline == nullptr) return std::nullopt;
  auto it = ctx.baseline->items.find(id);
  if (it == ctx.baseline->items.end()) return std::nullopt;
  return it->second.number;
}

std::string FormatNumber(double value, int precision) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", precision, value);
  std::string text = buf;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

void KeepEvidence(const CheckContext& ctx, const std::string& label, const std::string& text,
                  CheckItem* item) {
  if (ctx.tools == nullptr) return;
  std::string name = ctx.tools->evidence().Save(label, text);
  if (!name.empty()) item->evidence.push_back(std::move(name));
}

CheckItem NumberPass(std::string id, std::string threshold, std::string value, double number) {
  CheckItem item =
      Pass(std::move(id), Level::kR1, kHostCategory, std::move(threshold), std::move(value));
  item.number = number;
  return item;
}

}  // namespace host
}  // namespace hai::hwcheck
