#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hwcheck/context.h"

namespace hai::hwcheck::ascend {

// Shared shapes of the Ascend and NVIDIA checks: numbers as text, the
// baseline's number for an id, and "measured value ≥ floor" judgements.

std::string FormatNumber(double v, int decimals);  // "23.75", "65536"

// A name fit for an item id ("Node-2.a" → "node-2_a"): lower case, letters,
// digits, '-' and '_' kept, everything else '_'.
std::string IdPart(std::string_view name);

// The baseline's number for `id` (read from Baseline::items), when a
// baseline was given and had one.
std::optional<double> BaselineNumber(const CheckContext& ctx, std::string_view id);

// A measured value that must not fall below a floor: the profile's absolute
// floor (`absolute_min` > 0) and/or `baseline_fraction` × the baseline's
// number for `id`, whichever is higher. Below the floor is a FAIL; with no
// floor at all the value is recorded as a PASS with threshold "recorded (no
// baseline)" so the report can become a baseline (contract).
struct AtLeastRule {
  double absolute_min = 0;
  double baseline_fraction = 0;  // 0 = the baseline is not used
};
CheckItem JudgeAtLeast(const CheckContext& ctx, std::string id, Level level, std::string category,
                       double value, std::string_view unit, const AtLeastRule& rule,
                       std::string_view what);

// A counter that is recorded and should not grow: PASS when it is not above
// the baseline's number (or there is no baseline), WARN when it grew.
CheckItem JudgeNotGrown(const CheckContext& ctx, std::string id, Level level, std::string category,
                        double value, std::string_view unit, std::string_view what);

// Appends a tool run's evidence name to the item (nothing when none was kept).
void AddEvidence(CheckItem* item, const ToolRun& run);
CheckItem WithEvidence(CheckItem item, const ToolRun& run);

// The SKIP or FAIL for a tool run that did not give an answer: SKIP
// "<tool> not found" when it is missing, else FAIL with its problem.
CheckItem ToolProblem(std::string id, Level level, std::string category, const ToolRun& run);

}  // namespace hai::hwcheck::ascend
