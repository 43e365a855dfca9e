#include "lib/accel/hardware_profile.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "lib/config/config_file.h"
#include "lib/config/toml_parse.h"

namespace hai::accel {
namespace {

constexpr int kMaxDevicesPerEntry = 64;

Status Required(const std::string& file, const std::string& key) {
  return Status::InvalidArgument(file + ": " + key + ": required", key);
}

Status ReadNode(const toml::table& root, const std::string& file, NodeInventory* inv) {
  const toml::node* node = root.get("node");
  if (!node || !node->is_table()) return Required(file, "node");
  config::Section s(node->as_table(), "node", file);
  inv->cpu_cores = 0;
  inv->memory_mib = 0;
  s.Read("name", &inv->node);
  s.Read("cpu_cores", &inv->cpu_cores, 1, 4096);
  s.Read("memory_mib", &inv->memory_mib, 1, int64_t{1} << 40);
  HAI_RETURN_IF_ERROR(s.Finish());
  if (inv->cpu_cores == 0) return Required(file, "node.cpu_cores");
  if (inv->memory_mib == 0) return Required(file, "node.memory_mib");
  return Status::Ok();
}

Status ReadDeviceEntry(const toml::table& table, const std::string& name, const std::string& file,
                       NodeInventory* inv) {
  config::Section s(&table, name, file);
  std::string vendor_name, model, topology_group;
  int count = 1, numa = -1, compute_units = -1;
  int64_t memory_mib = 0;
  s.Read("vendor", &vendor_name);
  s.Read("model", &model);
  s.Read("count", &count, 1, kMaxDevicesPerEntry);
  s.Read("memory_mib", &memory_mib, 1, int64_t{1} << 30);
  s.Read("compute_units", &compute_units, -1, 1 << 20);
  s.Read("topology_group", &topology_group);
  s.Read("numa", &numa, -1, 1023);
  HAI_RETURN_IF_ERROR(s.Finish());
  if (vendor_name.empty()) return Required(file, name + ".vendor");
  std::optional<Vendor> vendor = ParseVendor(vendor_name);
  if (!vendor || *vendor == Vendor::kCpu)
    return Status::InvalidArgument(file + ": " + name + ".vendor: \"" + vendor_name +
                                       "\" is not an accelerator vendor (ascend, metax, hygon, "
                                       "mthreads, ppu, nvidia)",
                                   name + ".vendor");
  if (model.empty()) return Required(file, name + ".model");
  if (memory_mib == 0) return Required(file, name + ".memory_mib");
  for (int i = 0; i < count; ++i) {
    Device d;
    d.vendor = *vendor;
    d.model = model;
    d.index = static_cast<int>(inv->devices.size());
    d.numa_node = numa;
    d.memory_mib = memory_mib;
    d.compute_units = compute_units;
    d.topology_group = topology_group;
    d.health = Health::kOk;
    d.simulated = true;
    inv->devices.push_back(std::move(d));
  }
  return Status::Ok();
}

}  // namespace

Result<NodeInventory> ParseHardwareProfile(std::string_view text, const std::string& source_name) {
  HAI_ASSIGN_OR_RETURN(toml::table root, config::ParseToml(text, source_name));
  for (const auto& [key, value] : root) {
    // [hwcheck] holds hai-hwcheck's thresholds (hwcheck/profile.h reads it).
    if (key.str() == "hwcheck") continue;
    if (key.str() != "node" && key.str() != "devices")
      return Status::InvalidArgument(source_name + ": " + std::string(key.str()) + ": unknown key",
                                     std::string(key.str()));
  }
  NodeInventory inv;
  HAI_RETURN_IF_ERROR(ReadNode(root, source_name, &inv));
  if (const toml::node* devices = root.get("devices")) {
    const toml::array* entries = devices->as_array();
    if (!entries || !entries->is_array_of_tables())
      return Status::InvalidArgument(source_name + ": devices: expected [[devices]] tables",
                                     "devices");
    for (size_t i = 0; i < entries->size(); ++i) {
      HAI_RETURN_IF_ERROR(ReadDeviceEntry(*entries->get(i)->as_table(),
                                          "devices[" + std::to_string(i) + "]", source_name, &inv));
    }
  }
  return inv;
}

Result<NodeInventory> LoadHardwareProfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the hardware profile");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseHardwareProfile(text.str(), path);
}

}  // namespace hai::accel
