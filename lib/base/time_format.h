#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hai {

// "2026-11-22T10:00:00.123Z" — the one time format of every API and log.
std::string FormatIso8601(int64_t epoch_ms);
// Accepts ISO-8601 UTC ("…Z", optional fraction, or a "+00:00" offset), a date
// alone ("2026-11-22"), or integer epoch milliseconds. nullopt when unparseable.
std::optional<int64_t> ParseTime(std::string_view text);

}  // namespace hai
