#pragma once

// Parsers for what ipmitool prints (reference/appliance-hw.md §4.2), each a
// pure function of the text. Layouts are ipmitool 1.8.19's; fixtures in
// testdata/ipmi/ were recorded against ipmi_sim 1.0.13.

#include <string>
#include <string_view>
#include <vector>

#include "hwcheck/bmc/bmc_snapshot.h"

namespace hai::hwcheck::bmc {

// `mc info`: "Firmware Revision : 9.08", "Manufacturer Name : …", "Product Name : …".
struct IpmiMcInfo {
  std::string firmware;
  std::string manufacturer;
  std::string product;
  std::string ipmi_version;
};
IpmiMcInfo ParseIpmiMcInfo(std::string_view text);

// `chassis status`: "System Power : on", and the fault flags ("Main Power
// Fault : true", "Power Overload", "Power Control Fault", "Cooling/Fan
// Fault", "Drive Fault"). Only an asserted fault becomes a part (kind psu,
// fan or disk, named "Chassis <flag>", critical): a healthy chassis has no
// such parts.
struct IpmiChassisStatus {
  std::string power;  // "On", "Off", "" when not said
  std::vector<BmcPart> faults;
};
IpmiChassisStatus ParseIpmiChassisStatus(std::string_view text);

// `fru print`: one block per FRU device, "FRU Device Description : Builtin
// FRU Device (ID 0)" then " Key : value" lines. The built-in FRU (ID 0, else
// the first with a product or board area) gives the system identity:
// Product Manufacturer/Name/Serial/Part Number, Board Mfg/Product/Serial,
// Chassis Serial (when there is no Product Serial). IPMI has no standard
// place for the BIOS vendor and version; they stay empty.
struct IpmiFruDevice {
  std::string description;  // "Builtin FRU Device (ID 0)", "PSU1 (ID 2)"
  std::vector<std::pair<std::string, std::string>> fields;
  std::string Get(std::string_view key) const;
};
std::vector<IpmiFruDevice> ParseIpmiFru(std::string_view text);
void ApplyIpmiFru(const std::vector<IpmiFruDevice>& devices, BmcSnapshot* snapshot);

// `sel elist`: "   1 | 03/01/2024 | 10:00:00 | Temperature CPU1 Temp | Upper
// Critical going high | Asserted | Reading 90 > Threshold 85 degrees C".
std::vector<BmcLogEntry> ParseIpmiSel(std::string_view text);
// "Critical", "Warning" or "OK" for one event; a deassertion (the condition
// went away) is "OK".
std::string IpmiEventSeverity(std::string_view event, bool deasserted);

}  // namespace hai::hwcheck::bmc
