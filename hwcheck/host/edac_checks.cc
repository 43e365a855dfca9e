#include <algorithm>
#include <charconv>
#include <filesystem>
#include <string>
#include <vector>

#include "hwcheck/host/host_check_parts.h"
#include "hwcheck/host/proc_text.h"

namespace hai::hwcheck::host {
namespace {

constexpr Level kR1 = Level::kR1;
constexpr const char* kEdacDir = "/sys/devices/system/edac/mc";

std::optional<int64_t> ReadCount(const std::filesystem::path& file) {
  std::optional<std::string> text = ReadSmallFile(file.string());
  if (!text) return std::nullopt;
  std::string value = Trimmed(*text);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return n;
}

// The memory controllers (mc0, mc1, …) sorted by name; empty when none.
std::vector<std::filesystem::path> Controllers(const std::string& dir) {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("mc") && entry.is_directory(ec)) found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

// Host memory ECC from the kernel's EDAC counters (Documentation/ABI/testing/
// sysfs-devices-edac): any uncorrected error fails; corrected errors are
// recorded and only their growth against the baseline is a warning.
void AddEdacChecks(const CheckContext& ctx, Findings* out) {
  std::vector<std::filesystem::path> mcs = Controllers(ctx.Path(kEdacDir));
  if (mcs.empty()) {
    const char* reason =
        "no EDAC memory controller under /sys/devices/system/edac/mc (EDAC driver not loaded "
        "or not supported on this platform)";
    out->Add(Skip("host.edac.ue", kR1, kHostCategory, reason));
    out->Add(Skip("host.edac.ce", kR1, kHostCategory, reason));
    return;
  }
  int64_t ue = 0, ce = 0;
  std::string ue_where, unreadable, raw;
  for (const auto& mc : mcs) {
    std::string name = mc.filename().string();
    std::optional<int64_t> u = ReadCount(mc / "ue_count");
    std::optional<int64_t> c = ReadCount(mc / "ce_count");
    if (!u || !c) unreadable += (unreadable.empty() ? "" : ", ") + name;
    if (u && *u > 0) ue_where += (ue_where.empty() ? "" : ", ") + name + " " + std::to_string(*u);
    raw += name + " ue_count=" + (u ? std::to_string(*u) : "?") +
           " ce_count=" + (c ? std::to_string(*c) : "?") + "\n";
    ue += u.value_or(0);
    ce += c.value_or(0);
  }
  std::string scope = " (" + std::to_string(mcs.size()) + " memory controllers)";
  CheckItem ue_item =
      ue == 0 ? Pass("host.edac.ue", kR1, kHostCategory, "== 0", "0" + scope)
              : Fail("host.edac.ue", kR1, kHostCategory, "== 0", std::to_string(ue) + scope,
                     "uncorrected memory errors on " + ue_where + ": replace the DIMM");
  if (ue == 0 && !unreadable.empty()) {
    ue_item = Fail("host.edac.ue", kR1, kHostCategory, "== 0", "unknown" + scope,
                   "cannot read the EDAC counters of " + unreadable);
  }
  ue_item.number = static_cast<double>(ue);
  KeepEvidence(ctx, "edac-counters", raw, &ue_item);
  const std::vector<std::string> ue_item_evidence = ue_item.evidence;
  out->Add(std::move(ue_item));

  std::string value = std::to_string(ce) + scope;
  std::optional<double> before = BaselineNumber(ctx, "host.edac.ce");
  if (!before) {
    CheckItem item = NumberPass("host.edac.ce", kNoBaseline, value, static_cast<double>(ce));
    item.evidence = ue_item_evidence;
    out->Add(std::move(item));
    return;
  }
  std::string threshold = "<= " + FormatNumber(*before, 0) + " (baseline)";
  CheckItem ce_item =
      static_cast<double>(ce) <= *before
          ? Pass("host.edac.ce", kR1, kHostCategory, threshold, value)
          : Warn("host.edac.ce", kR1, kHostCategory, threshold, value,
                 "corrected memory errors grew since the baseline (" + FormatNumber(*before, 0) +
                     " → " + std::to_string(ce) + "): watch the DIMM");
  ce_item.number = static_cast<double>(ce);
  ce_item.evidence = ue_item_evidence;
  out->Add(std::move(ce_item));
}

}  // namespace hai::hwcheck::host
