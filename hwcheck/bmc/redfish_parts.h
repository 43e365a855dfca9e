#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hwcheck/bmc/bmc_snapshot.h"

namespace hai::hwcheck::bmc {

// DMTF Redfish resources (reference/appliance-hw.md §4.1) → BmcSnapshot
// pieces. Pure functions over one parsed resource each; what is fetched and
// in which order is redfish_reader.cc's business. Fields a BMC leaves out
// stay empty; nothing here throws on odd shapes.

// Status{State, Health, HealthRollup}: State "Absent" → kAbsent; the worse of
// Health and HealthRollup (OK / Warning / Critical); neither → kUnknown.
PartHealth HealthOf(const nlohmann::json& resource);
// "Enabled, Critical" — the BMC's own words for BmcPart::state.
std::string StateWords(const nlohmann::json& resource);
// The worse of two Redfish Health words ("OK" < "Warning" < "Critical");
// "" when both are empty.
std::string WorseHealth(const std::string& a, const std::string& b);

// The string at `key`, "" when absent or not a string.
std::string Text(const nlohmann::json& object, const char* key);
// `object[key]["@odata.id"]`, "" when absent.
std::string Link(const nlohmann::json& object, const char* key);

// Processors/{id}: ProcessorType "CPU" (or none, or "Core"/"Thread" summaries)
// → kind "cpu"; "Accelerator", "GPU", "FPGA", "DSP", "OEM" → kind "npu".
BmcPart ProcessorPart(const nlohmann::json& processor);
// Memory/{id}; State "Absent" is an empty slot.
BmcPart MemoryPart(const nlohmann::json& memory);
// Storage/{id}/Drives/{id} (FailurePredicted true → at least kWarning).
BmcPart DrivePart(const nlohmann::json& drive);
// SimpleStorage/{id} Devices[] entry.
BmcPart SimpleStorageDevicePart(const nlohmann::json& device);

// Chassis/{id}/Thermal: Temperatures[] → "temperature" parts (Upper/Lower
// thresholds; Fatal stands in for a missing Critical), Fans[] → "fan" parts.
std::vector<BmcPart> ThermalParts(const nlohmann::json& thermal);
// Chassis/{id}/ThermalSubsystem/Fans/{id}: SpeedPercent{Reading, SpeedRPM}.
BmcPart SubsystemFanPart(const nlohmann::json& fan);
// Chassis/{id}/Sensors/{id} of ReadingType "Temperature" (Thresholds
// UpperCaution/UpperCritical/LowerCritical); nullopt for other sensors.
std::optional<BmcPart> TemperatureSensorPart(const nlohmann::json& sensor);
// Power.PowerSupplies[] entries and PowerSubsystem/PowerSupplies/{id}.
BmcPart PsuPart(const nlohmann::json& psu);

// Redundancy groups not healthy, as "<what>: <name> (<mode>) <health>": from
// Thermal/Power `Redundancy`, ThermalSubsystem `FanRedundancy` and
// PowerSubsystem `PowerSupplyRedundancy` arrays.
std::vector<std::string> RedundancyProblems(const nlohmann::json& resource,
                                            const std::string& what);

// LogService Entries member (EntryType SEL, Event, Oem): Severity, Created,
// SensorType, Message (MessageId when there is no message).
BmcLogEntry LogEntryOf(const nlohmann::json& entry, const std::string& service);

// A BIOS vendor, when the BMC names one anywhere: Redfish has no standard
// field, so the Bios resource's Attributes are searched for a key
// "BiosVendor" / "SystemBiosVendor" (any case), then the System's Oem
// objects (two levels deep) for the same keys. "" when none.
std::string BiosVendorIn(const nlohmann::json& object);

}  // namespace hai::hwcheck::bmc
