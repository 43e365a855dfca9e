#pragma once

#include <string>

#include "hwcheck/report.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// The human summary on stdout: one row per item (id, status, value,
// threshold, reason), then the counts and the overall verdict.
std::string RenderSummaryTable(const Report& report);

// Writes the JSON and/or HTML report ("" = not asked for).
Status WriteReportFiles(const Report& report, const std::string& json_path,
                        const std::string& html_path);

// Fails unless `path`'s directory exists and `path` is not a directory: the
// check before an hour of r3 tests, not after.
Status CheckWritablePath(const std::string& flag, const std::string& path);

std::string NowRfc3339();
std::string Rfc3339(int64_t epoch_ms);

}  // namespace hai::hwcheck
