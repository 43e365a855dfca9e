#include "hwcheck/check.h"

#include <utility>

namespace hai::hwcheck {

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kR1: return "r1";
    case Level::kR2: return "r2";
    case Level::kR3: return "r3";
    case Level::kR4: return "r4";
  }
  return "r1";
}

std::optional<Level> ParseLevel(std::string_view name) {
  if (name == "r1") return Level::kR1;
  if (name == "r2") return Level::kR2;
  if (name == "r3") return Level::kR3;
  if (name == "r4") return Level::kR4;
  return std::nullopt;
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kSkip: return "SKIP";
    case Verdict::kPass: return "PASS";
    case Verdict::kWarn: return "WARN";
    case Verdict::kFail: return "FAIL";
  }
  return "SKIP";
}

std::optional<Verdict> ParseVerdict(std::string_view name) {
  if (name == "SKIP") return Verdict::kSkip;
  if (name == "PASS") return Verdict::kPass;
  if (name == "WARN") return Verdict::kWarn;
  if (name == "FAIL") return Verdict::kFail;
  return std::nullopt;
}

Verdict Worst(Verdict a, Verdict b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

namespace {
CheckItem Make(Verdict status, std::string id, Level level, std::string category,
               std::string threshold, std::string value, std::string reason) {
  CheckItem item;
  item.id = std::move(id);
  item.level = level;
  item.status = status;
  item.category = std::move(category);
  item.threshold = std::move(threshold);
  item.value = std::move(value);
  item.reason = std::move(reason);
  return item;
}
}  // namespace

CheckItem Pass(std::string id, Level level, std::string category, std::string threshold,
               std::string value, std::string reason) {
  return Make(Verdict::kPass, std::move(id), level, std::move(category), std::move(threshold),
              std::move(value), std::move(reason));
}
CheckItem Warn(std::string id, Level level, std::string category, std::string threshold,
               std::string value, std::string reason) {
  return Make(Verdict::kWarn, std::move(id), level, std::move(category), std::move(threshold),
              std::move(value), std::move(reason));
}
CheckItem Fail(std::string id, Level level, std::string category, std::string threshold,
               std::string value, std::string reason) {
  return Make(Verdict::kFail, std::move(id), level, std::move(category), std::move(threshold),
              std::move(value), std::move(reason));
}
CheckItem Skip(std::string id, Level level, std::string category, std::string reason) {
  return Make(Verdict::kSkip, std::move(id), level, std::move(category), {}, {},
              std::move(reason));
}

}  // namespace hai::hwcheck
