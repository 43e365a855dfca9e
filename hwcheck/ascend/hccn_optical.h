#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// `hccn_tool -i N -optical -g` (reference/appliance-hw.md §1.3): `optical
// info:` then padded `key : value` lines: present, temperature, vendor, Tx/Rx
// Power0–3 (mW), TxPower/RxPower High/Low Thres, Tx Bias0–3, Tx/Rx Los/LoL
// Flag (hex). Keys are matched ignoring case and blanks so "Tx Power0" and
// "TxPower0" read the same.
struct OpticalInfo {
  bool present = false;
  std::string present_text;  // as printed
  std::string vendor;
  std::optional<double> temperature_c;
  std::vector<double> tx_power_mw;  // lanes in order
  std::vector<double> rx_power_mw;
  std::optional<double> tx_high_mw, tx_low_mw, rx_high_mw, rx_low_mw;
  // Every `…Los…Flag` / `…LoL…Flag` as (key, value), e.g. ("Tx Los Flag", "0x0").
  std::vector<std::pair<std::string, std::string>> flags;
};
// kInvalidArgument when no `present` key was printed.
Result<OpticalInfo> ParseHccnOptical(std::string_view text);

// What is wrong with a module, one phrase per finding ("Rx Power2 0.0100 mW
// below the low threshold 0.0724 mW", "Rx Los Flag 0x1"); empty when healthy.
std::vector<std::string> OpticalProblems(const OpticalInfo& info);

}  // namespace hai::hwcheck::ascend
