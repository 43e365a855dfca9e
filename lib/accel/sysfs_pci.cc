#include "lib/accel/sysfs_pci.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace hai::accel {
namespace {

namespace fs = std::filesystem;

std::string Trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

Result<std::string> ReadSmallFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return Trimmed(text.str());
}

// sysfs writes ids as "0x19e5" and classes as "0x120000".
Result<uint32_t> ReadHex(const fs::path& path) {
  HAI_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  std::string_view digits = text;
  if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    return Status::InvalidArgument(path.string() + ": expected a hex number, got \"" + text + "\"");
  return value;
}

int ReadNumaNode(const fs::path& path) {
  auto text = ReadSmallFile(path);
  if (!text.ok()) return -1;  // absent on kernels built without NUMA
  int value = -1;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return -1;
  return value;
}

}  // namespace

Status PciOptions::Validate() const {
  if (sysfs_root.empty()) return Status::InvalidArgument("sysfs root is empty", "sysfs_root");
  if (ppu_vendor_id == 0 || ppu_vendor_id == 0xffff)
    return Status::InvalidArgument("PPU PCI vendor id must be a real id", "ppu_vendor_id");
  return Status::Ok();
}

std::vector<PciAcceleratorRule> DefaultPciRules(uint16_t ppu_vendor_id) {
  const std::vector<uint16_t> kAnyAccelerator = {kPciClassVga, kPciClass3d, kPciClassDisplayOther,
                                                 kPciClassCoprocessor,
                                                 kPciClassProcessingAccelerator};
  return {
      {kPciVendorHuawei,
       Vendor::kAscend,
       {kPciClassProcessingAccelerator, kPciClass3d, kPciClassDisplayOther}},
      {kPciVendorNvidia, Vendor::kNvidia, {kPciClassVga, kPciClass3d}},
      {kPciVendorMetax, Vendor::kMetax, kAnyAccelerator},
      {kPciVendorMthreads, Vendor::kMthreads, kAnyAccelerator},
      {kPciVendorHygon, Vendor::kHygon, kAnyAccelerator},
      {ppu_vendor_id, Vendor::kPpu, kAnyAccelerator},
  };
}

Result<std::vector<PciFunction>> ReadPciFunctions(const std::string& sysfs_root) {
  fs::path dir = fs::path(sysfs_root) / "bus" / "pci" / "devices";
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Status::Unavailable(dir.string() + ": no PCI devices directory");
  std::vector<PciFunction> out;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const fs::path& p = entry.path();
    PciFunction fn;
    fn.bus_id = NormalizeBusId(p.filename().string());
    HAI_ASSIGN_OR_RETURN(uint32_t vendor, ReadHex(p / "vendor"));
    HAI_ASSIGN_OR_RETURN(uint32_t device, ReadHex(p / "device"));
    HAI_ASSIGN_OR_RETURN(fn.class_code, ReadHex(p / "class"));
    fn.vendor_id = static_cast<uint16_t>(vendor);
    fn.device_id = static_cast<uint16_t>(device);
    fn.numa_node = ReadNumaNode(p / "numa_node");
    out.push_back(std::move(fn));
  }
  if (ec) return Status::Unavailable(dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end(),
            [](const PciFunction& a, const PciFunction& b) { return a.bus_id < b.bus_id; });
  return out;
}

std::optional<Vendor> ClassifyPciFunction(const PciFunction& fn,
                                          const std::vector<PciAcceleratorRule>& rules) {
  for (const PciAcceleratorRule& rule : rules) {
    if (rule.vendor_id != fn.vendor_id) continue;
    if (std::find(rule.classes.begin(), rule.classes.end(), fn.ClassAndSubclass()) !=
        rule.classes.end())
      return rule.vendor;
  }
  return std::nullopt;
}

std::string ModelFromPciIds(Vendor vendor, uint16_t device_id) {
  if (vendor != Vendor::kAscend) return "";
  // reference/appliance-hw.md §1.1: 910B = d802, 910 = d801, 910_93 = d803, 310P = d500.
  switch (device_id) {
    case 0xd801:
      return "Ascend910";
    case 0xd802:
      return "Ascend910B";
    case 0xd803:
      return "Ascend910_93";
    case 0xd500:
      return "Ascend310P";
    default:
      return "";
  }
}

Result<std::vector<Device>> EnumeratePciAccelerators(const PciOptions& options) {
  HAI_RETURN_IF_ERROR(options.Validate());
  HAI_ASSIGN_OR_RETURN(std::vector<PciFunction> functions, ReadPciFunctions(options.sysfs_root));
  const std::vector<PciAcceleratorRule> rules = DefaultPciRules(options.ppu_vendor_id);
  std::map<Vendor, int> next_index;
  std::vector<Device> devices;
  for (const PciFunction& fn : functions) {
    std::optional<Vendor> vendor = ClassifyPciFunction(fn, rules);
    if (!vendor) continue;
    Device d;
    d.vendor = *vendor;
    d.index = next_index[*vendor]++;
    d.bus_id = fn.bus_id;
    d.numa_node = fn.numa_node;
    d.model = ModelFromPciIds(*vendor, fn.device_id);
    devices.push_back(std::move(d));
  }
  return devices;
}

std::string NormalizeBusId(std::string_view bus_id) {
  std::string s;
  for (char c : bus_id) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  // Domain:bus:device.function; nvidia-smi pads the domain to 8 hex digits.
  size_t colon = s.find(':');
  if (colon != std::string::npos && colon > 4 && s.find(':', colon + 1) != std::string::npos)
    s.erase(0, colon - 4);
  return s;
}

}  // namespace hai::accel
