#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hwcheck/check.h"

namespace hai::hwcheck {

// How urgent an inspection anomaly is (reference/appliance-hw.md §8 "Risk
// mapping", §1.5, §6).
enum class Risk { kHigh, kMedium, kLow };
std::string_view RiskName(Risk r);  // "high", "medium", "low"
std::optional<Risk> ParseRisk(std::string_view name);

// What kind of change the inspection found for an id.
enum class Change {
  kWorse,          // the status got worse than in the baseline
  kNumberDown,     // a bandwidth / compute number fell by more than the tolerance
  kNumberUp,       // an error counter grew
  kFactChanged,    // a named fact (versions.*, bmc.bios_version, …) changed
  kSerialChanged,  // an asset's serial number changed
};

struct RiskEntry {
  Risk risk = Risk::kLow;
  std::string_view remediation;     // English, one line
  std::string_view remediation_zh;  // 中文, one line
};

// The one table: first rule whose id prefix, change and status match wins.
RiskEntry ClassifyAnomaly(std::string_view id, Change change, Verdict status);

// Whether a number under `id` is a counter whose growth is an anomaly, or a
// bandwidth/compute result whose drop is one (neither: not compared).
bool IsGrowthCounter(std::string_view id);
bool IsPerformanceNumber(std::string_view id);

}  // namespace hai::hwcheck
