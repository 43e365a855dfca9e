#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/call_record.h"

namespace hai::portal {

// The API's field names of a call-log entry, in the order of the CSV
// export's columns: every field the gateway reports, plus `id`, `time`
// (ISO 8601), `org_name` and `user_name`.
std::span<const std::string_view> CallLogFields();

// A stored call as the API shows it. Durations in ms (to the microsecond),
// `tps` in tokens per second (to the thousandth).
nlohmann::json ToJson(const CallLogEntry& e);

// RFC 4180 CSV: a header row of CallLogFields(), then one row per entry.
// Cells a spreadsheet would run as a formula get a leading apostrophe.
std::string CallLogsCsv(const std::vector<CallLogEntry>& entries);

}  // namespace hai::portal
