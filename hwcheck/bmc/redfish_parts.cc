#include "hwcheck/bmc/redfish_parts.h"

#include <algorithm>
#include <cctype>

namespace hai::hwcheck::bmc {

using nlohmann::json;

namespace {

int HealthRank(const std::string& health) {
  if (health == "OK") return 1;
  if (health == "Warning") return 2;
  if (health == "Critical") return 3;
  return 0;
}

std::optional<double> Number(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

const json& Member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// A resource's own name: its Id (Names are often generic: "Processor").
std::string ResourceName(const json& resource) {
  std::string id = Text(resource, "Id");
  return id.empty() ? Text(resource, "Name") : id;
}

// An array member's name: its Name, else its MemberId.
std::string EntryName(const json& entry) {
  std::string name = Text(entry, "Name");
  if (name.empty()) name = Text(entry, "FanName");
  return name.empty() ? Text(entry, "MemberId") : name;
}

// Health, state, serial and model, which every part has the same way.
BmcPart Common(const json& resource, std::string kind, std::string name) {
  BmcPart part;
  part.kind = std::move(kind);
  part.name = std::move(name);
  part.health = HealthOf(resource);
  part.state = StateWords(resource);
  part.serial = Text(resource, "SerialNumber");
  part.model = Text(resource, "Model");
  if (part.model.empty()) part.model = Text(resource, "PartNumber");
  return part;
}

bool Lower(std::string a, std::string_view b) {
  std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return std::tolower(c); });
  return a == b;
}

std::string VendorKey(const json& object) {
  if (!object.is_object()) return "";
  for (const auto& [key, value] : object.items()) {
    if (value.is_string() && (Lower(key, "biosvendor") || Lower(key, "systembiosvendor")))
      return value.get<std::string>();
  }
  return "";
}

}  // namespace

std::string Text(const json& object, const char* key) {
  const json& value = Member(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

std::string Link(const json& object, const char* key) {
  return Text(Member(object, key), "@odata.id");
}

std::string WorseHealth(const std::string& a, const std::string& b) {
  return HealthRank(b) > HealthRank(a) || a.empty() ? b : a;
}

PartHealth HealthOf(const json& resource) {
  const json& status = Member(resource, "Status");
  if (Text(status, "State") == "Absent") return PartHealth::kAbsent;
  std::string health = WorseHealth(Text(status, "Health"), Text(status, "HealthRollup"));
  if (health == "OK") return PartHealth::kOk;
  if (health == "Warning") return PartHealth::kWarning;
  if (health == "Critical") return PartHealth::kCritical;
  return PartHealth::kUnknown;
}

std::string StateWords(const json& resource) {
  const json& status = Member(resource, "Status");
  std::string state = Text(status, "State");
  std::string health = Text(status, "Health");
  if (state.empty() || health.empty()) return state + health;
  return state + ", " + health;
}

BmcPart ProcessorPart(const json& processor) {
  std::string type = Text(processor, "ProcessorType");
  bool cpu = type.empty() || type == "CPU" || type == "Core" || type == "Thread";
  BmcPart part = Common(processor, cpu ? "cpu" : "npu", ResourceName(processor));
  if (part.model.empty()) part.model = Text(processor, "Manufacturer");
  return part;
}

BmcPart MemoryPart(const json& memory) { return Common(memory, "memory", ResourceName(memory)); }

BmcPart DrivePart(const json& drive) {
  BmcPart part = Common(drive, "disk", ResourceName(drive));
  const json& predicted = Member(drive, "FailurePredicted");
  if (predicted.is_boolean() && predicted.get<bool>()) {
    part.detail = "the drive predicts its own failure (FailurePredicted)";
    if (part.health == PartHealth::kOk || part.health == PartHealth::kUnknown)
      part.health = PartHealth::kWarning;
  }
  return part;
}

BmcPart SimpleStorageDevicePart(const json& device) {
  return Common(device, "disk", EntryName(device));
}

std::vector<BmcPart> ThermalParts(const json& thermal) {
  std::vector<BmcPart> parts;
  const json& temperatures = Member(thermal, "Temperatures");
  if (temperatures.is_array()) {
    for (const json& t : temperatures) {
      BmcPart part = Common(t, "temperature", EntryName(t));
      part.reading = Number(t, "ReadingCelsius");
      part.unit = "C";
      part.upper_non_critical = Number(t, "UpperThresholdNonCritical");
      part.upper_critical = Number(t, "UpperThresholdCritical");
      if (!part.upper_critical) part.upper_critical = Number(t, "UpperThresholdFatal");
      part.lower_critical = Number(t, "LowerThresholdCritical");
      parts.push_back(std::move(part));
    }
  }
  const json& fans = Member(thermal, "Fans");
  if (fans.is_array()) {
    for (const json& f : fans) {
      BmcPart part = Common(f, "fan", EntryName(f));
      part.reading = Number(f, "Reading");
      part.unit = Text(f, "ReadingUnits") == "Percent" ? "%" : "RPM";
      part.lower_critical = Number(f, "LowerThresholdCritical");
      if (!part.lower_critical) part.lower_critical = Number(f, "LowerThresholdFatal");
      parts.push_back(std::move(part));
    }
  }
  return parts;
}

BmcPart SubsystemFanPart(const json& fan) {
  BmcPart part = Common(fan, "fan", ResourceName(fan));
  const json& speed = Member(fan, "SpeedPercent");
  if (auto rpm = Number(speed, "SpeedRPM")) {
    part.reading = rpm;
    part.unit = "RPM";
  } else if (auto percent = Number(speed, "Reading")) {
    part.reading = percent;
    part.unit = "%";
  }
  return part;
}

std::optional<BmcPart> TemperatureSensorPart(const json& sensor) {
  if (Text(sensor, "ReadingType") != "Temperature") return std::nullopt;
  BmcPart part = Common(sensor, "temperature", EntryName(sensor));
  part.reading = Number(sensor, "Reading");
  part.unit = "C";
  const json& thresholds = Member(sensor, "Thresholds");
  part.upper_non_critical = Number(Member(thresholds, "UpperCaution"), "Reading");
  part.upper_critical = Number(Member(thresholds, "UpperCritical"), "Reading");
  if (!part.upper_critical)
    part.upper_critical = Number(Member(thresholds, "UpperFatal"), "Reading");
  part.lower_critical = Number(Member(thresholds, "LowerCritical"), "Reading");
  return part;
}

BmcPart PsuPart(const json& psu) {
  // PowerSubsystem supplies are resources (Id "Bay1"); Power's are array
  // entries (MemberId "0"), so their Name is the better name.
  BmcPart part =
      Common(psu, "psu", Member(psu, "MemberId").is_null() ? ResourceName(psu) : EntryName(psu));
  part.reading = Number(psu, "LastPowerOutputWatts");
  if (part.reading) part.unit = "W";
  return part;
}

std::vector<std::string> RedundancyProblems(const json& resource, const std::string& what) {
  std::vector<std::string> problems;
  for (const char* key : {"Redundancy", "FanRedundancy", "PowerSupplyRedundancy"}) {
    const json& groups = Member(resource, key);
    if (!groups.is_array()) continue;
    for (const json& group : groups) {
      std::string health = Text(Member(group, "Status"), "Health");
      if (health != "Warning" && health != "Critical") continue;
      std::string name = EntryName(group);
      std::string mode = Text(group, "Mode");
      if (mode.empty()) mode = Text(group, "RedundancyType");
      std::string text = what + ":";
      if (!name.empty()) text += " " + name;
      if (!mode.empty()) text += " (" + mode + ")";
      problems.push_back(text + " " + health);
    }
  }
  return problems;
}

BmcLogEntry LogEntryOf(const json& entry, const std::string& service) {
  BmcLogEntry out;
  out.id = service + "/" + Text(entry, "Id");
  out.created = Text(entry, "Created");
  out.severity = Text(entry, "Severity");
  if (out.severity.empty()) out.severity = Text(entry, "MessageSeverity");
  out.sensor = Text(entry, "SensorType");
  out.message = Text(entry, "Message");
  if (out.message.empty()) out.message = Text(entry, "MessageId");
  return out;
}

std::string BiosVendorIn(const json& object) {
  std::string vendor = VendorKey(Member(object, "Attributes"));
  if (!vendor.empty()) return vendor;
  const json& oem = Member(object, "Oem");
  if (!oem.is_object()) return "";
  vendor = VendorKey(oem);
  for (auto it = oem.begin(); vendor.empty() && it != oem.end(); ++it) vendor = VendorKey(*it);
  return vendor;
}

}  // namespace hai::hwcheck::bmc
