// ReadRedfishBmc: walks a BMC's Redfish tree from the service root by its
// @odata.id links (reference/appliance-hw.md §4.1) into one BmcSnapshot.
// Links to resources the BMC does not have (404) are skipped; any other
// failure ends the read with the reason.
#include <algorithm>
#include <cstdint>
#include <functional>

#include "hwcheck/bmc/bmc_readers.h"
#include "hwcheck/bmc/redfish_parts.h"
#include "hwcheck/bmc/redfish_session.h"

namespace hai::hwcheck::bmc {

namespace {

using nlohmann::json;
using Visit = std::function<Status(const json& resource)>;

constexpr int kMaxPages = 64;  // Members@odata.nextLink pages of one collection
// Log entries given as links cost one GET each: a full SEL (thousands) would
// take the read past its resource limit, so only the newest of each page are
// fetched (collections list oldest first, as the DMTF mockups and OpenBMC
// do). Entries given whole in the collection are all read.
constexpr size_t kMaxLinkedEntries = 200;

class RedfishReader {
 public:
  RedfishReader(RedfishSession& session, BmcSnapshot& snapshot)
      : session_(session), snapshot_(snapshot) {}

  Status Read() {
    auto root = session_.Get("/redfish/v1");
    if (!root.ok() && root.status().code() == Code::kNotFound)
      return Status::Unavailable(snapshot_.endpoint + " has no Redfish service (/redfish/v1: 404)");
    if (!root.ok()) return root.status();
    HAI_RETURN_IF_ERROR(
        ForEachMember(Link(*root, "Systems"), false, [this](const json& s) { return System(s); }));
    HAI_RETURN_IF_ERROR(
        ForEachMember(Link(*root, "Chassis"), false, [this](const json& c) { return Chassis(c); }));
    HAI_RETURN_IF_ERROR(ForEachMember(Link(*root, "Managers"), false,
                                      [this](const json& m) { return Manager(m); }));
    // Newest last; Redfish timestamps are ISO 8601 and sort as text.
    std::stable_sort(
        snapshot_.log.begin(), snapshot_.log.end(),
        [](const BmcLogEntry& a, const BmcLogEntry& b) { return a.created < b.created; });
    return Status::Ok();
  }

 private:
  // GETs `path` and visits it; nothing for an empty path, a 404, or a link
  // outside this service's /redfish/v1 tree.
  Status Optional(std::string path, const Visit& visit) {
    path = path.substr(0, path.find('#'));
    if (path.rfind("/redfish/v1", 0) != 0) return Status::Ok();
    auto resource = session_.Get(path);
    if (!resource.ok())
      return resource.status().code() == Code::kNotFound ? Status::Ok() : resource.status();
    return visit(*resource);
  }

  // Visits every member of the collection at `path`, page after page. A
  // member given whole (more than its @odata.id, as many BMCs do for log
  // entries) is used as it is when `inline_ok`; of the members given as links
  // only the last `max_linked` of each page are fetched.
  Status ForEachMember(const std::string& path, bool inline_ok, const Visit& visit,
                       size_t max_linked = SIZE_MAX) {
    std::string page = path;
    for (int n = 0; n < kMaxPages && !page.empty(); ++n) {
      std::string next;
      HAI_RETURN_IF_ERROR(Optional(page, [&](const json& collection) -> Status {
        auto members = collection.find("Members");
        if (members != collection.end() && members->is_array()) {
          size_t skip = members->size() > max_linked ? members->size() - max_linked : 0;
          for (const json& member : *members) {
            if (inline_ok && member.is_object() && member.size() > 1) {
              HAI_RETURN_IF_ERROR(visit(member));
            } else if (skip > 0) {
              --skip;
            } else {
              HAI_RETURN_IF_ERROR(Optional(Text(member, "@odata.id"), visit));
            }
          }
        }
        next = Text(collection, "Members@odata.nextLink");
        return Status::Ok();
      }));
      page = next;
    }
    return Status::Ok();
  }

  Status System(const json& system) {
    if (!system_seen_) {
      system_seen_ = true;
      snapshot_.manufacturer = Text(system, "Manufacturer");
      snapshot_.model = Text(system, "Model");
      snapshot_.serial = Text(system, "SerialNumber");
      snapshot_.part_number = Text(system, "PartNumber");
      snapshot_.uuid = Text(system, "UUID");
      snapshot_.power_state = Text(system, "PowerState");
      snapshot_.bios_version = Text(system, "BiosVersion");
      snapshot_.bios_vendor = BiosVendorIn(system);
    }
    auto status = system.find("Status");
    if (status != system.end())
      snapshot_.system_health =
          WorseHealth(snapshot_.system_health,
                      WorseHealth(Text(*status, "Health"), Text(*status, "HealthRollup")));
    Summary(system, "ProcessorSummary", "processor_summary");
    Summary(system, "MemorySummary", "memory_summary");
    auto add = [this](BmcPart part) {
      snapshot_.parts.push_back(std::move(part));
      return Status::Ok();
    };
    HAI_RETURN_IF_ERROR(ForEachMember(Link(system, "Processors"), false,
                                      [&](const json& p) { return add(ProcessorPart(p)); }));
    HAI_RETURN_IF_ERROR(ForEachMember(Link(system, "Memory"), false,
                                      [&](const json& m) { return add(MemoryPart(m)); }));
    HAI_RETURN_IF_ERROR(Storage(system));
    HAI_RETURN_IF_ERROR(LogServices(Link(system, "LogServices")));
    return Optional(Link(system, "Bios"), [this](const json& bios) {
      std::string vendor = BiosVendorIn(bios);
      if (!vendor.empty()) snapshot_.bios_vendor = vendor;
      return Status::Ok();
    });
  }

  // ProcessorSummary / MemorySummary health as a "system" part.
  void Summary(const json& system, const char* key, const char* name) {
    auto summary = system.find(key);
    if (summary == system.end() || !summary->is_object() || !summary->contains("Status")) return;
    BmcPart part;
    part.kind = "system";
    part.name = name;
    part.health = HealthOf(*summary);
    part.state = StateWords(*summary);
    if (summary->contains("Count")) part.detail = "Count " + (*summary)["Count"].dump();
    if (summary->contains("TotalSystemMemoryGiB"))
      part.detail = "TotalSystemMemoryGiB " + (*summary)["TotalSystemMemoryGiB"].dump();
    snapshot_.parts.push_back(std::move(part));
  }

  // Storage controllers' Drives; SimpleStorage Devices only when Storage
  // gave no drive (most BMCs that have both describe the same disks twice).
  Status Storage(const json& system) {
    size_t before = snapshot_.parts.size();
    HAI_RETURN_IF_ERROR(ForEachMember(Link(system, "Storage"), false, [this](const json& storage) {
      auto drives = storage.find("Drives");
      if (drives == storage.end() || !drives->is_array()) return Status::Ok();
      for (const json& drive : *drives) {
        HAI_RETURN_IF_ERROR(Optional(Text(drive, "@odata.id"), [this](const json& d) {
          snapshot_.parts.push_back(DrivePart(d));
          return Status::Ok();
        }));
      }
      return Status::Ok();
    }));
    if (snapshot_.parts.size() > before) return Status::Ok();
    return ForEachMember(Link(system, "SimpleStorage"), false, [this](const json& simple) {
      auto devices = simple.find("Devices");
      if (devices == simple.end() || !devices->is_array()) return Status::Ok();
      for (const json& device : *devices)
        snapshot_.parts.push_back(SimpleStorageDevicePart(device));
      return Status::Ok();
    });
  }

  Status LogServices(const std::string& path) {
    return ForEachMember(path, false, [this](const json& service) {
      std::string name = Text(service, "Id");
      return ForEachMember(
          Link(service, "Entries"), true,
          [&](const json& entry) {
            snapshot_.log.push_back(LogEntryOf(entry, name));
            return Status::Ok();
          },
          kMaxLinkedEntries);
    });
  }

  Status Chassis(const json& chassis) {
    bool motherboard = Text(chassis, "ChassisType") == "Motherboard";
    if (!board_from_motherboard_ && (snapshot_.board_serial.empty() || motherboard)) {
      board_from_motherboard_ = motherboard;
      snapshot_.board_manufacturer = Text(chassis, "Manufacturer");
      snapshot_.board_product = Text(chassis, "Model");
      snapshot_.board_serial = Text(chassis, "SerialNumber");
    }
    HAI_RETURN_IF_ERROR(Thermal(chassis));
    return Power(chassis);
  }

  // Fans from ThermalSubsystem when the BMC has it, else from Thermal;
  // temperatures from Thermal, else from the Sensors collection.
  Status Thermal(const json& chassis) {
    std::string subsystem = Link(chassis, "ThermalSubsystem");
    std::string thermal = Link(chassis, "Thermal");
    HAI_RETURN_IF_ERROR(Optional(subsystem, [this](const json& s) {
      Problems(RedundancyProblems(s, "Fans"));
      return ForEachMember(Link(s, "Fans"), false, [this](const json& fan) {
        snapshot_.parts.push_back(SubsystemFanPart(fan));
        return Status::Ok();
      });
    }));
    bool fans_known = !subsystem.empty();
    HAI_RETURN_IF_ERROR(Optional(thermal, [&](const json& t) {
      for (BmcPart& part : ThermalParts(t)) {
        if (part.kind == "fan" && fans_known) continue;
        snapshot_.parts.push_back(std::move(part));
      }
      if (!fans_known) Problems(RedundancyProblems(t, "Fans"));
      return Status::Ok();
    }));
    if (!thermal.empty()) return Status::Ok();
    return ForEachMember(Link(chassis, "Sensors"), false, [this](const json& sensor) {
      if (auto part = TemperatureSensorPart(sensor)) snapshot_.parts.push_back(std::move(*part));
      return Status::Ok();
    });
  }

  Status Power(const json& chassis) {
    std::string subsystem = Link(chassis, "PowerSubsystem");
    if (!subsystem.empty()) {
      return Optional(subsystem, [this](const json& s) {
        Problems(RedundancyProblems(s, "Power supplies"));
        return ForEachMember(Link(s, "PowerSupplies"), false, [this](const json& psu) {
          snapshot_.parts.push_back(PsuPart(psu));
          return Status::Ok();
        });
      });
    }
    return Optional(Link(chassis, "Power"), [this](const json& power) {
      auto supplies = power.find("PowerSupplies");
      if (supplies != power.end() && supplies->is_array())
        for (const json& psu : *supplies) snapshot_.parts.push_back(PsuPart(psu));
      Problems(RedundancyProblems(power, "Power supplies"));
      return Status::Ok();
    });
  }

  Status Manager(const json& manager) {
    bool bmc = Text(manager, "ManagerType") == "BMC";
    if (!firmware_from_bmc_ && (snapshot_.bmc_firmware.empty() || bmc)) {
      firmware_from_bmc_ = bmc;
      snapshot_.bmc_firmware = Text(manager, "FirmwareVersion");
    }
    return LogServices(Link(manager, "LogServices"));
  }

  void Problems(std::vector<std::string> problems) {
    for (auto& p : problems) snapshot_.redundancy_problems.push_back(std::move(p));
  }

  RedfishSession& session_;
  BmcSnapshot& snapshot_;
  bool system_seen_ = false;
  bool board_from_motherboard_ = false;
  bool firmware_from_bmc_ = false;
};

}  // namespace

Result<BmcSnapshot> ReadRedfishBmc(const BmcTarget& target, EvidenceStore& evidence,
                                   std::chrono::milliseconds timeout) {
  if (target.scheme != "redfish+https" && target.scheme != "redfish+http")
    return Status::InvalidArgument("not a Redfish BMC URL (scheme " + target.scheme + ")");
  BmcSnapshot snapshot;
  snapshot.source = "redfish";
  snapshot.endpoint = target.Endpoint();
  RedfishSession session(target, evidence, timeout, RedfishSession::Limits{});
  HAI_RETURN_IF_ERROR(RedfishReader(session, snapshot).Read());
  return snapshot;
}

}  // namespace hai::hwcheck::bmc
