#include "hwcheck/bmc/ipmi_sensor_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "hwcheck/bmc/ipmi_text.h"
#include "lib/accel/tool_text.h"

namespace hai::hwcheck::bmc {
namespace {

using accel::ParseToolNumber;
using accel::SplitLines;
using accel::TrimText;

bool IsThresholdUnit(std::string_view unit) { return !unit.empty() && unit != "discrete"; }

// States whose words mean the part failed, or is about to; matched without
// regard to case against each asserted state. "Uncorrectable" is tested
// before "Correctable", "Non-Critical" before "Critical".
constexpr std::array<std::string_view, 17> kCriticalStates = {
    "failure detected",    "ac lost",
    "out-of-range",        "ierr",
    "thermal trip",        "frb",
    "uncorrectable",       "drive fault",
    "in failed array",     "critical overtemperature",
    "configuration error", "config error",
    "memory scrub failed", "rebuild aborted",
    "non-recoverable",     "redundancy lost",
    "machine check"};
constexpr std::array<std::string_view, 7> kWarningStates = {
    "predictive failure", "correctable ecc",     "redundancy degraded", "throttled",
    "in critical array",  "rebuild in progress", "non-redundant"};

bool Contains(const std::string& haystack_lower, std::string_view needle) {
  return haystack_lower.find(needle) != std::string::npos;
}

}  // namespace

std::vector<IpmiSdrRow> ParseIpmiSdrElist(std::string_view text) {
  std::vector<IpmiSdrRow> rows;
  for (std::string_view line : SplitLines(text)) {
    std::vector<std::string> cols = SplitColumns(line);
    if (cols.size() < 5 || cols[0].empty()) continue;
    IpmiSdrRow row;
    row.name = std::move(cols[0]);
    row.number = std::move(cols[1]);
    row.status = std::move(cols[2]);
    row.entity = std::move(cols[3]);
    row.reading = std::move(cols[4]);
    int id = 0;
    const std::string& e = row.entity;
    auto [end, ec] = std::from_chars(e.data(), e.data() + e.size(), id);
    if (ec == std::errc() && end != e.data()) row.entity_id = id;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<IpmiSensorRow> ParseIpmiSensorList(std::string_view text) {
  std::vector<IpmiSensorRow> rows;
  for (std::string_view line : SplitLines(text)) {
    std::vector<std::string> cols = SplitColumns(line);
    if (cols.size() < 10 || cols[0].empty()) continue;
    IpmiSensorRow row;
    row.name = std::move(cols[0]);
    row.unit = std::move(cols[2]);
    row.status = std::move(cols[3]);
    if (IsThresholdUnit(row.unit)) row.reading = ParseToolNumber(cols[1]);
    row.lnr = ParseToolNumber(cols[4]);
    row.lc = ParseToolNumber(cols[5]);
    row.lnc = ParseToolNumber(cols[6]);
    row.unc = ParseToolNumber(cols[7]);
    row.uc = ParseToolNumber(cols[8]);
    row.unr = ParseToolNumber(cols[9]);
    rows.push_back(std::move(row));
  }
  return rows;
}

PartHealth IpmiStatusHealth(std::string_view status) {
  const std::string s = Lower(TrimText(status));
  if (s == "ok") return PartHealth::kOk;
  if (s == "nc" || s == "lnc" || s == "unc") return PartHealth::kWarning;
  if (s == "cr" || s == "lcr" || s == "ucr" || s == "nr" || s == "lnr" || s == "unr")
    return PartHealth::kCritical;
  if (s == "ns" || s == "na") return PartHealth::kAbsent;
  return PartHealth::kUnknown;
}

PartHealth IpmiDiscreteHealth(std::string_view states, std::string* why) {
  PartHealth worst = PartHealth::kOk;
  std::string critical, warning;
  for (std::string_view state : accel::SplitAny(states, ",")) {
    state = TrimText(state);
    const std::string s = Lower(state);
    const bool non_critical = Contains(s, "non-critical");
    bool bad = false;
    for (std::string_view c : kCriticalStates)
      if (Contains(s, c)) bad = true;
    if (!non_critical && Contains(s, "critical") && !Contains(s, "in critical array")) bad = true;
    if (bad) {
      critical += (critical.empty() ? "" : ", ") + std::string(state);
      worst = PartHealth::kCritical;
      continue;
    }
    bool warn = non_critical;
    for (std::string_view w : kWarningStates)
      if (Contains(s, w)) warn = true;
    if (warn) {
      warning += (warning.empty() ? "" : ", ") + std::string(state);
      if (worst == PartHealth::kOk) worst = PartHealth::kWarning;
    }
  }
  if (why != nullptr) *why = worst == PartHealth::kCritical ? critical : warning;
  return worst;
}

std::string IpmiSensorKind(int entity_id, std::string_view unit, std::string_view name) {
  const std::string u = Lower(unit);
  if (u == "degrees c" || u == "degrees f") return "temperature";
  if (u == "rpm") return "fan";
  if (u == "volts") return "voltage";
  if ((u == "watts" || u == "amps") && entity_id == 0x0a) return "psu";
  if (!IsThresholdUnit(u)) {
    switch (entity_id) {
      case 0x03:
        return "cpu";
      case 0x0a:
        return "psu";
      case 0x1d:
        return "fan";
      case 0x20:
        return "memory";
      case 0x04:
      case 0x1a:
        return "disk";
      default:
        break;
    }
  }
  const std::string n = Lower(name);
  if (Contains(n, "npu")) return "npu";
  if (Contains(n, "fan")) return "fan";
  if (Contains(n, "psu") || n.rfind("ps", 0) == 0 || Contains(n, "power supply")) return "psu";
  if (Contains(n, "temp")) return "temperature";
  if (Contains(n, "cpu") || Contains(n, "proc")) return "cpu";
  if (Contains(n, "dimm") || Contains(n, "mem")) return "memory";
  if (Contains(n, "disk") || Contains(n, "hdd") || Contains(n, "nvme") || Contains(n, "drive"))
    return "disk";
  return "other";
}

std::vector<BmcPart> IpmiSensorParts(const std::vector<IpmiSdrRow>& sdr,
                                     const std::vector<IpmiSensorRow>& sensors,
                                     std::vector<std::string>* redundancy_problems) {
  std::map<std::string, const IpmiSensorRow*, std::less<>> by_name;
  for (const IpmiSensorRow& row : sensors) by_name.emplace(row.name, &row);
  std::vector<BmcPart> parts;
  for (const IpmiSdrRow& row : sdr) {
    auto it = by_name.find(row.name);
    const IpmiSensorRow* sensor = it == by_name.end() ? nullptr : it->second;
    // Built by initialisation, not assignment: GCC 12 warns (wrongly) about
    // copy-assigning strings into a fresh aggregate here.
    BmcPart part{.name = row.name, .state = row.status};
    // Without a `sensor list` row the elist reading still says "40 degrees C".
    const size_t space = row.reading.find(' ');
    const std::optional<double> elist_value = ParseToolNumber(row.reading.substr(0, space));
    const bool analog = sensor != nullptr ? IsThresholdUnit(sensor->unit) : elist_value.has_value();
    std::string unit;
    if (sensor != nullptr)
      unit = sensor->unit;
    else if (analog && space != std::string::npos)
      unit = TrimText(std::string_view(row.reading).substr(space + 1));
    part.kind = IpmiSensorKind(row.entity_id, unit, row.name);
    if (analog) {
      part.reading = sensor != nullptr ? sensor->reading : elist_value;
      part.unit = unit == "degrees C" ? "C" : unit == "Volts" ? "V" : unit == "Watts" ? "W" : unit;
      if (sensor != nullptr) {
        part.upper_non_critical = sensor->unc;
        part.upper_critical = sensor->uc;
        part.lower_critical = sensor->lc;
      }
    }
    part.health = IpmiStatusHealth(row.status);
    if (part.health == PartHealth::kAbsent) {
      part.detail = "no reading (" + row.reading + ")";
    } else if (!analog) {
      // A discrete sensor's status column says little ("ok" with "Failure
      // detected" asserted); its states decide, unless the BMC already said worse.
      std::string why;
      PartHealth by_state = IpmiDiscreteHealth(row.reading, &why);
      if (part.health == PartHealth::kUnknown || part.health == PartHealth::kOk ||
          by_state == PartHealth::kCritical)
        part.health = by_state;
      part.detail = why;
      if (redundancy_problems != nullptr && Contains(Lower(row.reading), "redundan") &&
          by_state != PartHealth::kOk)
        redundancy_problems->push_back(row.name + ": " + why);
    } else if (part.health != PartHealth::kOk) {
      part.detail = row.reading + " (" + row.status + ")";
    }
    parts.push_back(std::move(part));
  }
  return parts;
}

}  // namespace hai::hwcheck::bmc
