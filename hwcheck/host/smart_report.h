#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::hwcheck::host {

// What `smartctl --json -H -A -i /dev/X` (smartmontools 7, JSON format 1)
// says about one disk, reduced to the fields the checks judge.
struct SmartReport {
  std::string device_type;              // device.type: "sat", "ata", "nvme", "scsi"
  std::string model;                    // model_name
  std::string serial;                   // serial_number
  std::string firmware;                 // firmware_version
  std::optional<bool> passed;           // smart_status.passed; absent = no verdict
  std::optional<int64_t> reallocated;   // ATA attribute 5 raw value
  std::optional<int64_t> pending;       // ATA attribute 197 raw value
  std::optional<int64_t> media_errors;  // NVMe health log media_errors
  int exit_status = 0;                  // smartctl.exit_status (a bit mask)
  std::vector<std::string> messages;    // smartctl.messages[].string
};

// smartctl's exit status bits (smartctl(8) "RETURN VALUES").
inline constexpr int kSmartCommandLine = 1 << 0;  // bad command line or unknown device type
inline constexpr int kSmartOpenFailed = 1 << 1;   // open failed / no IDENTIFY / low-power mode
inline constexpr int kSmartDiskFailing = 1 << 3;  // SMART status: disk failing

Result<SmartReport> ParseSmartctlJson(std::string_view text);

}  // namespace hai::hwcheck::host
