#include "lib/cluster/wire.h"

#include <nlohmann/json.hpp>

#include "lib/cluster/json_reader.h"

namespace hai::cluster {
namespace {

using internal::Reader;

Result<accel::Device> DeviceAt(const nlohmann::json& j, const std::string& where) {
  Reader r(j, where);
  accel::Device d;
  std::string vendor, health = "unknown";
  r.Get("vendor", &vendor);
  r.Get("model", &d.model);
  r.Get("index", &d.index);
  r.Get("bus_id", &d.bus_id, false);
  r.Get("numa", &d.numa_node, false);
  r.Get("memory_mib", &d.memory_mib, false);
  r.Get("memory_used_mib", &d.memory_used_mib, false);
  r.Get("compute_units", &d.compute_units, false);
  r.Get("topology_group", &d.topology_group, false);
  r.Get("utilization", &d.utilization, false);
  r.Get("temperature_c", &d.temperature_c, false);
  r.Get("power_w", &d.power_w, false);
  r.Get("health", &health, false);
  r.Get("ecc_errors", &d.ecc_errors, false);
  r.Get("serial", &d.serial, false);
  r.Get("firmware", &d.firmware, false);
  r.Get("simulated", &d.simulated, false);
  HAI_RETURN_IF_ERROR(r.status());
  auto v = accel::ParseVendor(vendor);
  if (!v) return Status::InvalidArgument(r.Path("vendor") + ": unknown vendor '" + vendor + "'", r.Path("vendor"));
  d.vendor = *v;
  auto h = accel::ParseHealth(health);
  if (!h) return Status::InvalidArgument(r.Path("health") + ": unknown health '" + health + "'", r.Path("health"));
  d.health = *h;
  if (d.index < 0 || d.index > 4096) return Status::InvalidArgument(r.Path("index") + " out of range", r.Path("index"));
  return d;
}

}  // namespace

Status CheckNodeName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 63 && name[0] != '-';
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok)
    return Status::InvalidArgument("node name '" + name + "' must be 1-63 of a-z, 0-9 and '-'",
                                   "node");
  return Status::Ok();
}

nlohmann::json ToJson(const accel::Device& d) {
  return {{"vendor", accel::VendorName(d.vendor)}, {"model", d.model},
          {"index", d.index},                      {"bus_id", d.bus_id},
          {"numa", d.numa_node},                   {"memory_mib", d.memory_mib},
          {"memory_used_mib", d.memory_used_mib},  {"compute_units", d.compute_units},
          {"topology_group", d.topology_group},    {"utilization", d.utilization},
          {"temperature_c", d.temperature_c},      {"power_w", d.power_w},
          {"health", accel::HealthName(d.health)}, {"ecc_errors", d.ecc_errors},
          {"serial", d.serial},                    {"firmware", d.firmware},
          {"simulated", d.simulated}};
}

nlohmann::json ToJson(const accel::NodeInventory& inv) {
  nlohmann::json devices = nlohmann::json::array();
  for (const auto& d : inv.devices) devices.push_back(ToJson(d));
  return {{"node", inv.node},
          {"cpu_cores", inv.cpu_cores},
          {"memory_mib", inv.memory_mib},
          {"devices", devices}};
}

nlohmann::json ToJson(const Registration& r) {
  return {{"node", r.node},
          {"agent_url", r.agent_url},
          {"labels", r.labels},
          {"inventory", ToJson(r.inventory)},
          {"agent_version", r.agent_version}};
}

nlohmann::json ToJson(const Heartbeat& h) {
  nlohmann::json devices = nlohmann::json::array();
  for (const Telemetry& t : h.devices)
    devices.push_back({{"index", t.index},
                       {"memory_used_mib", t.memory_used_mib},
                       {"utilization", t.utilization},
                       {"temperature_c", t.temperature_c},
                       {"power_w", t.power_w},
                       {"health", accel::HealthName(t.health)},
                       {"ecc_errors", t.ecc_errors}});
  return {{"node", h.node}, {"seq", h.seq}, {"devices", devices}};
}

Result<accel::Device> DeviceFromJson(const nlohmann::json& j) { return DeviceAt(j, "device"); }

Result<Registration> RegistrationFromJson(const nlohmann::json& j) {
  Reader r(j, "registration");
  Registration reg;
  r.Get("node", &reg.node);
  r.Get("agent_url", &reg.agent_url);
  r.Get("labels", &reg.labels, false);
  r.Get("agent_version", &reg.agent_version, false);
  HAI_RETURN_IF_ERROR(r.status());
  HAI_RETURN_IF_ERROR(CheckNodeName(reg.node));
  const nlohmann::json* inv = r.Child("inventory");
  if (!inv || !inv->is_object())
    return Status::InvalidArgument("registration.inventory is required", "inventory");
  Reader ir(*inv, "inventory");
  ir.Get("cpu_cores", &reg.inventory.cpu_cores);
  ir.Get("memory_mib", &reg.inventory.memory_mib);
  HAI_RETURN_IF_ERROR(ir.status());
  reg.inventory.node = reg.node;
  auto devices = inv->find("devices");
  if (devices != inv->end()) {
    if (!devices->is_array() || devices->size() > 256)
      return Status::InvalidArgument("inventory.devices must be an array of at most 256", "devices");
    for (size_t i = 0; i < devices->size(); ++i) {
      HAI_ASSIGN_OR_RETURN(accel::Device d,
                           DeviceAt((*devices)[i], "inventory.devices[" + std::to_string(i) + "]"));
      reg.inventory.devices.push_back(std::move(d));
    }
  }
  if (reg.inventory.cpu_cores < 0 || reg.inventory.memory_mib < 0)
    return Status::InvalidArgument("inventory cpu_cores and memory_mib must not be negative",
                                   "inventory");
  return reg;
}

Result<Heartbeat> HeartbeatFromJson(const nlohmann::json& j) {
  Reader r(j, "heartbeat");
  Heartbeat hb;
  r.Get("node", &hb.node);
  r.Get("seq", &hb.seq);
  HAI_RETURN_IF_ERROR(r.status());
  HAI_RETURN_IF_ERROR(CheckNodeName(hb.node));
  auto devices = j.find("devices");
  if (devices == j.end()) return hb;
  if (!devices->is_array() || devices->size() > 256)
    return Status::InvalidArgument("heartbeat.devices must be an array of at most 256", "devices");
  for (size_t i = 0; i < devices->size(); ++i) {
    Reader dr((*devices)[i], "heartbeat.devices[" + std::to_string(i) + "]");
    Telemetry t;
    std::string health = "unknown";
    dr.Get("index", &t.index);
    dr.Get("memory_used_mib", &t.memory_used_mib, false);
    dr.Get("utilization", &t.utilization, false);
    dr.Get("temperature_c", &t.temperature_c, false);
    dr.Get("power_w", &t.power_w, false);
    dr.Get("health", &health, false);
    dr.Get("ecc_errors", &t.ecc_errors, false);
    HAI_RETURN_IF_ERROR(dr.status());
    auto h = accel::ParseHealth(health);
    if (!h) return Status::InvalidArgument(dr.Path("health") + ": unknown health", dr.Path("health"));
    t.health = *h;
    hb.devices.push_back(t);
  }
  return hb;
}

}  // namespace hai::cluster
