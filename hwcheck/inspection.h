#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hwcheck/baseline.h"
#include "hwcheck/check.h"
#include "hwcheck/risk_table.h"

namespace hai::hwcheck {

// Inspection mode (--baseline FILE): what differs from the acceptance run, each
// difference with a risk and a remediation from risk_table.h.
struct Anomaly {
  std::string id;
  Risk risk = Risk::kLow;
  std::string status;          // this run's status ("FAIL"), or "CHANGED" for facts/serials
  std::string value;           // now
  std::string baseline_value;  // then
  std::string reason;
  std::string remediation;
  std::string remediation_zh;
};

struct Inspection {
  std::string baseline;            // path of the baseline report
  std::vector<Anomaly> anomalies;  // high first, then medium, low; by id within a risk
};

// Performance numbers that fell below (1 - tolerance) × baseline are anomalies.
inline constexpr double kDriftTolerance = 0.10;

Inspection Inspect(const Findings& now, const Baseline& baseline);

}  // namespace hai::hwcheck
