#pragma once

#include <string>
#include <string_view>

#include "hwcheck/report.h"

namespace hai::hwcheck {

// One self-contained HTML page (inline CSS, no scripts, no external resources)
// with Chinese and English labels: summary, items coloured by status,
// inspection anomalies, assets and the ledger diff. Every text is escaped.
std::string RenderReportHtml(const Report& report);
std::string HtmlEscape(std::string_view text);

}  // namespace hai::hwcheck
