#pragma once

#include <map>
#include <optional>
#include <string>

#include "hwcheck/check.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// A previous report (the acceptance run, usually) that checks and the
// inspection mode compare against. Loaded from the report JSON (report.h).
struct Baseline {
  std::string path;
  std::string node;
  std::map<std::string, CheckItem, std::less<>> items;  // by id
  std::vector<AssetRecord> assets;
  std::map<std::string, std::string, std::less<>> facts;

  // The numeric value a check had in the baseline, when it had one.
  std::optional<double> Number(std::string_view id) const;
  const CheckItem* Item(std::string_view id) const;
};

Result<Baseline> LoadBaseline(const std::string& path);

}  // namespace hai::hwcheck
