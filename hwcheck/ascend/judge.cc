#include "hwcheck/ascend/judge.h"

#include <cctype>
#include <cstdio>

#include "hwcheck/baseline.h"

namespace hai::hwcheck::ascend {

std::string FormatNumber(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string IdPart(std::string_view name) {
  std::string out;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    out += (std::isalnum(u) || c == '-' || c == '_') ? static_cast<char>(std::tolower(u)) : '_';
  }
  return out;
}

std::optional<double> BaselineNumber(const CheckContext& ctx, std::string_view id) {
  if (!ctx.baseline) return std::nullopt;
  auto it = ctx.baseline->items.find(id);
  if (it == ctx.baseline->items.end()) return std::nullopt;
  return it->second.number;
}

CheckItem JudgeAtLeast(const CheckContext& ctx, std::string id, Level level, std::string category,
                       double value, std::string_view unit, const AtLeastRule& rule,
                       std::string_view what) {
  std::string shown = FormatNumber(value, 2) + " " + std::string(unit);
  std::optional<double> base = rule.baseline_fraction > 0 ? BaselineNumber(ctx, id) : std::nullopt;
  double floor = rule.absolute_min > 0 ? rule.absolute_min : 0;
  std::string threshold;
  if (base && rule.baseline_fraction * *base > floor) {
    floor = rule.baseline_fraction * *base;
    threshold = ">= " + FormatNumber(floor, 2) + " " + std::string(unit) + " (" +
                FormatNumber(rule.baseline_fraction, 2) + " x baseline " + FormatNumber(*base, 2) +
                ")";
  } else if (floor > 0) {
    threshold = ">= " + FormatNumber(floor, 2) + " " + std::string(unit);
  }
  CheckItem item;
  if (floor <= 0) {
    item = Pass(std::move(id), level, std::move(category), "recorded (no baseline)", shown);
  } else if (value >= floor) {
    item = Pass(std::move(id), level, std::move(category), threshold, shown);
  } else {
    item = Fail(std::move(id), level, std::move(category), threshold, shown,
                std::string(what) + " " + shown + " is below " + threshold.substr(3) + ".");
  }
  item.number = value;
  return item;
}

CheckItem JudgeNotGrown(const CheckContext& ctx, std::string id, Level level, std::string category,
                        double value, std::string_view unit, std::string_view what) {
  std::string shown = FormatNumber(value, 0) + (unit.empty() ? "" : " " + std::string(unit));
  std::optional<double> base = BaselineNumber(ctx, id);
  CheckItem item;
  if (!base) {
    item = Pass(std::move(id), level, std::move(category), "recorded (no baseline)", shown);
  } else {
    std::string threshold = "<= baseline " + FormatNumber(*base, 0);
    if (value <= *base)
      item = Pass(std::move(id), level, std::move(category), threshold, shown);
    else
      item = Warn(std::move(id), level, std::move(category), threshold, shown,
                  std::string(what) + " grew from " + FormatNumber(*base, 0) + " to " +
                      FormatNumber(value, 0) + " since the baseline.");
  }
  item.number = value;
  return item;
}

void AddEvidence(CheckItem* item, const ToolRun& run) {
  if (!run.evidence.empty()) item->evidence.push_back(run.evidence);
}

CheckItem WithEvidence(CheckItem item, const ToolRun& run) {
  AddEvidence(&item, run);
  return item;
}

CheckItem ToolProblem(std::string id, Level level, std::string category, const ToolRun& run) {
  CheckItem item = run.missing
                       ? Skip(std::move(id), level, std::move(category), run.problem)
                       : Fail(std::move(id), level, std::move(category), "", "", run.problem);
  AddEvidence(&item, run);
  return item;
}

}  // namespace hai::hwcheck::ascend
