#include "hwcheck/inspection.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace hai::hwcheck {
namespace {

// SKIP (not measured) ranks with PASS: a tool missing today is not an anomaly
// of the hardware, and the SKIP's own reason is in the report.
int Rank(Verdict v) {
  switch (v) {
    case Verdict::kWarn:
      return 2;
    case Verdict::kFail:
      return 3;
    case Verdict::kSkip:
    case Verdict::kPass:
      return 1;
  }
  return 1;
}

std::string Num(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

Anomaly Make(std::string id, Change change, Verdict status, std::string status_text,
             std::string value, std::string baseline_value, std::string reason) {
  RiskEntry entry = ClassifyAnomaly(id, change, status);
  Anomaly a;
  a.id = std::move(id);
  a.risk = entry.risk;
  a.status = std::move(status_text);
  a.value = std::move(value);
  a.baseline_value = std::move(baseline_value);
  a.reason = std::move(reason);
  a.remediation = std::string(entry.remediation);
  a.remediation_zh = std::string(entry.remediation_zh);
  return a;
}

std::optional<Anomaly> CompareItem(const CheckItem& now, const CheckItem* then) {
  const Verdict then_status = then ? then->status : Verdict::kPass;
  const std::string then_value = then ? then->value : "(not in the baseline)";
  if (Rank(now.status) > Rank(then_status)) {
    return Make(now.id, Change::kWorse, now.status, std::string(VerdictName(now.status)), now.value,
                then_value,
                std::string(VerdictName(then_status)) + " at baseline, " +
                    std::string(VerdictName(now.status)) + " now" +
                    (now.reason.empty() ? "" : ": " + now.reason));
  }
  if (!then || !now.number || !then->number) return std::nullopt;
  const double a = *now.number, b = *then->number;
  if (IsGrowthCounter(now.id) && a > b) {
    return Make(now.id, Change::kNumberUp, now.status, std::string(VerdictName(now.status)),
                now.value, then->value,
                "grew from " + Num(b) + " to " + Num(a) + " since the baseline");
  }
  if (IsPerformanceNumber(now.id) && b > 0 && a < (1.0 - kDriftTolerance) * b) {
    const int percent = static_cast<int>((1.0 - a / b) * 100.0 + 0.5);
    return Make(now.id, Change::kNumberDown, now.status, std::string(VerdictName(now.status)),
                now.value, then->value,
                "fell " + std::to_string(percent) + " % below the baseline (tolerance " +
                    std::to_string(static_cast<int>(kDriftTolerance * 100)) + " %)");
  }
  return std::nullopt;
}

std::string AssetKey(const AssetRecord& a) { return a.kind + (a.slot.empty() ? "" : "." + a.slot); }

}  // namespace

Inspection Inspect(const Findings& now, const Baseline& baseline) {
  Inspection out;
  out.baseline = baseline.path;
  std::set<std::string> seen;
  for (const CheckItem& item : now.items) {
    if (auto a = CompareItem(item, baseline.Item(item.id)); a && seen.insert(a->id).second)
      out.anomalies.push_back(std::move(*a));
  }
  for (const auto& [name, value] : now.facts) {
    auto then = baseline.facts.find(name);
    if (then == baseline.facts.end() || then->second == value || seen.contains(name)) continue;
    seen.insert(name);
    out.anomalies.push_back(Make(name, Change::kFactChanged, Verdict::kPass, "CHANGED", value,
                                 then->second,
                                 "changed from \"" + then->second + "\" to \"" + value + "\""));
  }
  std::map<std::string, const AssetRecord*> before;
  for (const AssetRecord& a : baseline.assets) before[AssetKey(a)] = &a;
  for (const AssetRecord& a : now.assets) {
    auto it = before.find(AssetKey(a));
    if (it == before.end() || it->second->serial.empty() || a.serial.empty() ||
        it->second->serial == a.serial)
      continue;
    const std::string id = "asset." + AssetKey(a);
    if (!seen.insert(id).second) continue;
    out.anomalies.push_back(Make(id, Change::kSerialChanged, Verdict::kPass, "CHANGED", a.serial,
                                 it->second->serial,
                                 "serial number of " + AssetKey(a) + " changed from " +
                                     it->second->serial + " to " + a.serial));
  }
  std::stable_sort(out.anomalies.begin(), out.anomalies.end(),
                   [](const Anomaly& x, const Anomaly& y) {
                     if (x.risk != y.risk)
                       return static_cast<int>(x.risk) < static_cast<int>(y.risk);
                     return x.id < y.id;
                   });
  return out;
}

}  // namespace hai::hwcheck
