#include "lib/accel/inventory.h"

#include <fstream>
#include <set>
#include <sstream>

#include "lib/accel/tool_text.h"

namespace hai::accel {

Status DetectOptions::Validate() const {
  if (root.empty()) return Status::InvalidArgument("root is empty", "root");
  if (!runner) return Status::InvalidArgument("no command runner", "runner");
  if (!registry) return Status::InvalidArgument("no adapter registry", "registry");
  if (node_name.empty()) return Status::InvalidArgument("node name is empty", "node_name");
  return PciOptions{root + "/sys", ppu_vendor_id}.Validate();
}

Result<int> CountCpuCores(const std::string& cpuinfo_path) {
  std::ifstream in(cpuinfo_path);
  if (!in) return Status::Unavailable(cpuinfo_path + ": cannot read");
  int count = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::string_view key = TrimText(std::string_view(line).substr(0, line.find(':')));
    if (key == "processor" && line.find(':') != std::string::npos) ++count;
  }
  if (count == 0) return Status::Unavailable(cpuinfo_path + ": no \"processor\" lines");
  return count;
}

Result<int64_t> ReadMemTotalMib(const std::string& meminfo_path) {
  std::ifstream in(meminfo_path);
  if (!in) return Status::Unavailable(meminfo_path + ": cannot read");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("MemTotal:")) continue;
    std::istringstream fields(line.substr(9));
    int64_t kib = 0;
    std::string unit;
    if (fields >> kib >> unit && unit == "kB" && kib > 0) return kib / 1024;
    return Status::Unavailable(meminfo_path + ": cannot read MemTotal from \"" + line + "\"");
  }
  return Status::Unavailable(meminfo_path + ": no MemTotal line");
}

Result<NodeInventory> DetectInventory(const DetectOptions& options, std::vector<Status>* warnings) {
  HAI_RETURN_IF_ERROR(options.Validate());
  NodeInventory inv;
  inv.node = options.node_name;
  HAI_ASSIGN_OR_RETURN(inv.cpu_cores, CountCpuCores(options.root + "/proc/cpuinfo"));
  HAI_ASSIGN_OR_RETURN(inv.memory_mib, ReadMemTotalMib(options.root + "/proc/meminfo"));
  HAI_ASSIGN_OR_RETURN(inv.devices,
                       EnumeratePciAccelerators({options.root + "/sys", options.ppu_vendor_id}));

  std::set<Vendor> present;
  for (const Device& d : inv.devices) present.insert(d.vendor);
  for (Vendor vendor : present) {
    HAI_ASSIGN_OR_RETURN(std::unique_ptr<VendorAdapter> adapter,
                         options.registry->Create(VendorName(vendor)));
    Status s = adapter->Enrich(&inv.devices, *options.runner);
    if (!s.ok() && warnings) warnings->push_back(s);
  }
  return inv;
}

}  // namespace hai::accel
