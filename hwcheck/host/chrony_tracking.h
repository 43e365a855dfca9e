#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hai::hwcheck::host {

// `chronyc -n tracking`: "Key : value" lines. Only what the NTP checks judge.
struct ChronyTracking {
  std::string leap_status;                // "Normal", "Not synchronised", "Insert second", …
  std::string reference;                  // "Reference ID" as printed
  std::optional<double> system_offset_s;  // "System time": + fast, − slow of NTP time
};

// nullopt when the text has no "Leap status" line (not tracking output).
std::optional<ChronyTracking> ParseChronyTracking(std::string_view text);

}  // namespace hai::hwcheck::host
