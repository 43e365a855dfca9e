#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hai::hwcheck::bmc {

// What a BMC said about the server, in one shape whether it came over IPMI or
// Redfish, so that one set of rules (bmc_judge.h) turns it into checks.
enum class PartHealth { kOk, kWarning, kCritical, kAbsent, kUnknown };
std::string_view PartHealthName(PartHealth h);  // "ok", "warning", "critical", "absent", "unknown"

struct BmcPart {
  std::string kind;  // "cpu", "npu", "memory", "disk", "fan", "psu", "temperature", "voltage", "system"
  std::string name;  // as the BMC names it: "CPU1", "FAN1", "PSU2", "Inlet Temp"
  PartHealth health = PartHealth::kUnknown;
  std::string state;               // BMC's own words: "Enabled", "ok", "cr", "Absent", "nr"
  std::optional<double> reading;   // RPM, °C, W, V as the unit says
  std::string unit;                // "RPM", "C", "W", "V", "%"
  std::optional<double> upper_non_critical;
  std::optional<double> upper_critical;
  std::optional<double> lower_critical;  // fans: minimum RPM
  std::string serial;
  std::string model;
  std::string detail;  // why it is not OK, when the BMC said
};

struct BmcLogEntry {
  std::string id;
  std::string created;   // as the BMC wrote it
  std::string severity;  // "OK", "Warning", "Critical" (Redfish); IPMI: from the event type
  std::string sensor;    // sensor name or type
  std::string message;
};

struct BmcSnapshot {
  std::string source;    // "ipmi" or "redfish"
  std::string endpoint;  // host:port, never the password
  // System identity (Redfish Systems; IPMI FRU "Product" / "Board" areas, mc info).
  std::string manufacturer, model, serial, part_number, uuid;
  std::string bios_vendor, bios_version;
  std::string board_manufacturer, board_serial, board_product;
  std::string bmc_firmware;       // mc info "Firmware Revision" / Managers FirmwareVersion
  std::string system_health;      // Redfish Status.HealthRollup or Health; IPMI: ""
  std::string power_state;        // "On", "Off"
  std::vector<BmcPart> parts;
  std::vector<std::string> redundancy_problems;  // "Fans: redundancy lost", "PSU: N+1 degraded"
  std::vector<BmcLogEntry> log;   // SEL / LogServices entries, newest last
};

}  // namespace hai::hwcheck::bmc
