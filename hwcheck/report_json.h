#pragma once

#include <string>

#include "hwcheck/report.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// The report JSON (format 1, docs/hwcheck.md). Parse(Render(r)) == r for every
// field the format carries; errors name the source and the field
// ("base.json: items[3].status: expected PASS, WARN, FAIL or SKIP").
std::string RenderReportJson(const Report& report);
Result<Report> ParseReportJson(const std::string& text, const std::string& source_name);
Result<Report> LoadReportJson(const std::string& path);

}  // namespace hai::hwcheck
