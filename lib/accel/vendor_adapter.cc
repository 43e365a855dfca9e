#include "lib/accel/vendor_adapter.h"

#include "lib/accel/ascend_adapter.h"
#include "lib/accel/hygon_adapter.h"
#include "lib/accel/metax_adapter.h"
#include "lib/accel/mthreads_adapter.h"
#include "lib/accel/nvidia_adapter.h"
#include "lib/accel/ppu_adapter.h"

namespace hai::accel {

Device* FindDeviceByBusId(std::vector<Device>* devices, Vendor vendor,
                          std::string_view normalized_bus_id) {
  for (Device& d : *devices)
    if (d.vendor == vendor && d.bus_id == normalized_bus_id) return &d;
  return nullptr;
}

std::string JoinIndices(const std::vector<int>& indices) {
  // Appended piecewise: GCC 12's -Wrestrict misfires on `"," + std::to_string(i)` at -O3.
  std::string s;
  for (int i : indices) {
    if (!s.empty()) s += ',';
    s += std::to_string(i);
  }
  return s;
}

Status AdapterRegistry::Register(std::string name, Factory factory) {
  if (name.empty() || !factory)
    return Status::InvalidArgument("an adapter needs a name and a factory");
  if (factories_.contains(name))
    return Status::AlreadyExists("vendor adapter \"" + name + "\" is already registered");
  factories_.emplace(std::move(name), std::move(factory));
  return Status::Ok();
}

Result<std::unique_ptr<VendorAdapter>> AdapterRegistry::Create(std::string_view name) const {
  auto it = factories_.find(name);
  if (it == factories_.end())
    return Status::NotFound("no vendor adapter named \"" + std::string(name) + "\"");
  return it->second();
}

std::vector<std::string> AdapterRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

Status RegisterBuiltinAdapters(AdapterRegistry* registry) {
  HAI_RETURN_IF_ERROR(registry->Register(
      "ascend", [] { return std::make_unique<AscendAdapter>(AscendAdapterConfig{}); }));
  HAI_RETURN_IF_ERROR(registry->Register(
      "nvidia", [] { return std::make_unique<NvidiaAdapter>(NvidiaAdapterConfig{}); }));
  HAI_RETURN_IF_ERROR(registry->Register(
      "hygon", [] { return std::make_unique<HygonAdapter>(HygonAdapterConfig{}); }));
  HAI_RETURN_IF_ERROR(registry->Register("metax", NewMetaxAdapter));
  HAI_RETURN_IF_ERROR(registry->Register("mthreads", NewMthreadsAdapter));
  HAI_RETURN_IF_ERROR(registry->Register("ppu", NewPpuAdapter));
  return Status::Ok();
}

}  // namespace hai::accel
