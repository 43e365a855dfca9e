#pragma once

#include <optional>
#include <string>

#include "hwcheck/check.h"
#include "hwcheck/inspection.h"
#include "hwcheck/ledger.h"

namespace hai::hwcheck {

// One run's report: what report_json.h writes and reads back (as a baseline or
// for `hai-hwcheck cluster`) and report_html.h renders.
struct Report {
  std::string node;
  Level level = Level::kR1;
  std::string profile;  // the profile's path, or "built-in default"
  std::string started;  // RFC 3339
  std::string finished;
  Findings findings;
  std::string evidence_dir;
  std::optional<Inspection> inspection;   // only with --baseline
  std::optional<LedgerDiff> ledger_diff;  // only when a previous ledger existed
};

struct Summary {
  Verdict worst = Verdict::kSkip;
  int pass = 0, warn = 0, fail = 0, skip = 0;
};
Summary Summarize(const std::vector<CheckItem>& items);

// Exit status by the worst result: 0 PASS/SKIP, 1 WARN, 2 FAIL; 64 bad usage.
inline constexpr int kExitUsage = 64;
int ExitCodeFor(Verdict worst);

}  // namespace hai::hwcheck
