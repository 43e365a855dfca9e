#pragma once

// Small text helpers for ipmitool's tables and "Key : value" listings.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hai::hwcheck::bmc {

// "a | b |  | c" → {"a", "b", "", "c"}, each trimmed; empty columns kept.
std::vector<std::string> SplitColumns(std::string_view line);

std::string Lower(std::string_view s);

// " Firmware Revision         : 9.08" → {"Firmware Revision", "9.08"};
// "Last Power Event     :" → {"Last Power Event", ""}; {"", ""} without " : ".
std::pair<std::string, std::string> SplitKeyValue(std::string_view line);

}  // namespace hai::hwcheck::bmc
