#pragma once

// Sensors over IPMI: `sdr elist` says each sensor's status, entity and, for
// discrete sensors, which states are asserted ("Presence detected, Failure
// detected"); `sensor list` adds the numeric reading, its unit and the
// thresholds. Joined by sensor name into BmcParts. Pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hwcheck/bmc/bmc_snapshot.h"

namespace hai::hwcheck::bmc {

// "CPU1 Temp        | 30h | ok  |  3.1 | 40 degrees C"
struct IpmiSdrRow {
  std::string name;
  std::string number;   // "30h"
  std::string status;   // ok, ns, nc, cr, nr, lnc, unc, lcr, ucr, lnr, unr
  int entity_id = -1;   // 3 from "3.1"
  std::string entity;   // "3.1"
  std::string reading;  // "40 degrees C", "Presence detected, Failure detected", "No Reading"
};
std::vector<IpmiSdrRow> ParseIpmiSdrElist(std::string_view text);

// "FAN1 | 800.000 | RPM | cr | 500.000 | 1000.000 | 1500.000 | na | na | na"
// (columns: name, reading, unit, status, LNR, LC, LNC, UNC, UC, UNR).
struct IpmiSensorRow {
  std::string name;
  std::optional<double> reading;  // nullopt for "na" and discrete "0x1"
  std::string unit;               // "degrees C", "RPM", "Volts", "discrete"
  std::string status;             // ok, nc, cr, nr, na, or discrete state bits "0x0100"
  std::optional<double> lnr, lc, lnc, unc, uc, unr;
};
std::vector<IpmiSensorRow> ParseIpmiSensorList(std::string_view text);

// ok → kOk; nc/lnc/unc → kWarning; cr/nr and their l/u forms → kCritical;
// ns/na → kAbsent (no reading: not present, or powered off); anything else
// (discrete state bits) → kUnknown.
PartHealth IpmiStatusHealth(std::string_view status);

// A discrete sensor's asserted states judged by their words (the ones IPMI
// defines for power supplies, processors, memory, drive slots, redundancy):
// "Failure detected", "Power Supply AC lost", "Uncorrectable ECC", "Drive
// Fault", "IERR", "Redundancy Lost" … → kCritical; "Predictive failure",
// "Correctable ECC", "Redundancy Degraded", "Throttled" … → kWarning; else kOk.
// `why` gets the states that decided it.
PartHealth IpmiDiscreteHealth(std::string_view states, std::string* why);

// The part kind for a sensor: analog ones by unit (degrees C → temperature,
// RPM → fan, Volts → voltage, Watts/Amps on a power supply → psu), discrete
// ones by entity id (IPMI §43.14: 03h processor → cpu, 0Ah power supply →
// psu, 1Dh fan → fan, 20h memory device → memory, 04h disk bay and 1Ah disk
// → disk), then by name (FAN, PSU, Temp, CPU, DIMM, Disk/HDD/NVMe, NPU);
// "other" when nothing fits.
std::string IpmiSensorKind(int entity_id, std::string_view unit, std::string_view name);

// The parts for every sensor in `sdr` (with `sensors` by name for readings and
// thresholds). Redundancy sensors ("Redundancy Lost/Degraded") also go to
// `redundancy_problems` as "<name>: <state>".
std::vector<BmcPart> IpmiSensorParts(const std::vector<IpmiSdrRow>& sdr,
                                     const std::vector<IpmiSensorRow>& sensors,
                                     std::vector<std::string>* redundancy_problems);

}  // namespace hai::hwcheck::bmc
