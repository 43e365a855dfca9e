#include "lib/accel/device.h"

namespace hai::accel {

std::string_view VendorName(Vendor v) {
  switch (v) {
    case Vendor::kAscend: return "ascend";
    case Vendor::kMetax: return "metax";
    case Vendor::kHygon: return "hygon";
    case Vendor::kMthreads: return "mthreads";
    case Vendor::kPpu: return "ppu";
    case Vendor::kNvidia: return "nvidia";
    case Vendor::kCpu: return "cpu";
  }
  return "cpu";
}

const std::vector<Vendor>& AllVendors() {
  static const std::vector<Vendor> kAll = {Vendor::kAscend,   Vendor::kMetax, Vendor::kHygon,
                                           Vendor::kMthreads, Vendor::kPpu,   Vendor::kNvidia,
                                           Vendor::kCpu};
  return kAll;
}

std::optional<Vendor> ParseVendor(std::string_view name) {
  for (Vendor v : AllVendors())
    if (VendorName(v) == name) return v;
  return std::nullopt;
}

std::string_view HealthName(Health h) {
  switch (h) {
    case Health::kOk: return "ok";
    case Health::kWarning: return "warning";
    case Health::kCritical: return "critical";
    case Health::kUnknown: return "unknown";
  }
  return "unknown";
}

std::optional<Health> ParseHealth(std::string_view name) {
  for (Health h : {Health::kOk, Health::kWarning, Health::kCritical, Health::kUnknown})
    if (HealthName(h) == name) return h;
  return std::nullopt;
}

}  // namespace hai::accel
