#include "hwcheck/bmc/ipmi_parser.h"

#include <array>

#include "hwcheck/bmc/ipmi_text.h"
#include "lib/accel/tool_text.h"

namespace hai::hwcheck::bmc {
namespace {

using accel::SplitLines;
using accel::TrimText;

bool Has(const std::string& lower, std::string_view needle) {
  return lower.find(needle) != std::string::npos;
}

// Event words that mean a part failed or crossed a critical limit (checked
// after the non-critical ones, which contain "critical" too).
constexpr std::array<std::string_view, 16> kCriticalEvents = {
    "critical going",   "non-recoverable",
    "failure detected", "ac lost",
    "out-of-range",     "predictive failure",
    "uncorrectable",    "ierr",
    "thermal trip",     "frb",
    "drive fault",      "in failed array",
    "redundancy lost",  "critical overtemperature",
    "machine check",    "transition to critical"};
constexpr std::array<std::string_view, 6> kWarningEvents = {
    "non-critical", "correctable ecc",   "redundancy degraded",
    "throttled",    "in critical array", "non-redundant"};

struct ChassisFlag {
  std::string_view key;
  std::string_view kind;
};
constexpr std::array<ChassisFlag, 5> kChassisFaults = {{
    {"Main Power Fault", "psu"},
    {"Power Overload", "psu"},
    {"Power Control Fault", "psu"},
    {"Cooling/Fan Fault", "fan"},
    {"Drive Fault", "disk"},
}};

}  // namespace

IpmiMcInfo ParseIpmiMcInfo(std::string_view text) {
  IpmiMcInfo info;
  for (std::string_view line : SplitLines(text)) {
    auto [key, value] = SplitKeyValue(line);
    if (key == "Firmware Revision")
      info.firmware = value;
    else if (key == "Manufacturer Name")
      info.manufacturer = value;
    else if (key == "Product Name")
      info.product = value;
    else if (key == "IPMI Version")
      info.ipmi_version = value;
  }
  return info;
}

IpmiChassisStatus ParseIpmiChassisStatus(std::string_view text) {
  IpmiChassisStatus status;
  for (std::string_view line : SplitLines(text)) {
    auto [key, value] = SplitKeyValue(line);
    if (key == "System Power") {
      const std::string v = Lower(value);
      status.power = v == "on" ? "On" : v == "off" ? "Off" : value;
      continue;
    }
    for (const ChassisFlag& flag : kChassisFaults) {
      if (key != flag.key || Lower(value) != "true") continue;
      BmcPart part;
      part.kind = std::string(flag.kind);
      part.name = "Chassis " + key;
      part.health = PartHealth::kCritical;
      part.state = "true";
      part.detail = "chassis status: " + key + " is true";
      status.faults.push_back(std::move(part));
    }
  }
  return status;
}

std::string IpmiFruDevice::Get(std::string_view key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return v;
  return {};
}

std::vector<IpmiFruDevice> ParseIpmiFru(std::string_view text) {
  std::vector<IpmiFruDevice> devices;
  for (std::string_view line : SplitLines(text)) {
    auto [key, value] = SplitKeyValue(line);
    if (key.empty()) continue;
    if (key == "FRU Device Description") {
      devices.push_back({value, {}});
      continue;
    }
    // `fru print 0` prints one device without the description line.
    if (devices.empty()) devices.push_back({"Builtin FRU Device (ID 0)", {}});
    devices.back().fields.emplace_back(std::move(key), std::move(value));
  }
  return devices;
}

void ApplyIpmiFru(const std::vector<IpmiFruDevice>& devices, BmcSnapshot* s) {
  const IpmiFruDevice* system = nullptr;
  for (const IpmiFruDevice& d : devices)
    if (d.description.find("(ID 0)") != std::string::npos) system = &d;
  for (const IpmiFruDevice& d : devices)
    if (system == nullptr && (!d.Get("Product Name").empty() || !d.Get("Board Product").empty()))
      system = &d;
  if (system == nullptr) return;
  s->manufacturer = system->Get("Product Manufacturer");
  s->model = system->Get("Product Name");
  s->serial = system->Get("Product Serial");
  if (s->serial.empty()) s->serial = system->Get("Chassis Serial");
  s->part_number = system->Get("Product Part Number");
  s->board_manufacturer = system->Get("Board Mfg");
  s->board_product = system->Get("Board Product");
  s->board_serial = system->Get("Board Serial");
}

std::string IpmiEventSeverity(std::string_view event, bool deasserted) {
  if (deasserted) return "OK";
  const std::string e = Lower(event);
  for (std::string_view w : kWarningEvents)
    if (Has(e, w) && !Has(e, "uncorrectable")) return "Warning";
  for (std::string_view c : kCriticalEvents)
    if (Has(e, c)) return "Critical";
  return "OK";
}

std::vector<BmcLogEntry> ParseIpmiSel(std::string_view text) {
  std::vector<BmcLogEntry> entries;
  for (std::string_view line : SplitLines(text)) {
    std::vector<std::string> cols = SplitColumns(line);
    if (cols.size() < 5 || cols[0].empty()) continue;
    BmcLogEntry entry;
    entry.id = cols[0];
    entry.created = cols[1] + " " + cols[2];
    entry.sensor = cols[3];
    entry.message = cols[4];
    bool deasserted = false;
    size_t extra = 5;
    if (cols.size() > 5 && (cols[5] == "Asserted" || cols[5] == "Deasserted")) {
      deasserted = cols[5] == "Deasserted";
      entry.message += " " + cols[5];
      extra = 6;
    }
    for (size_t i = extra; i < cols.size(); ++i)
      if (!cols[i].empty()) entry.message += " (" + cols[i] + ")";
    entry.severity = IpmiEventSeverity(cols[4], deasserted);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace hai::hwcheck::bmc
