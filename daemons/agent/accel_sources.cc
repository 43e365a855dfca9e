// The two inventory sources: a hardware profile (simulated devices, this
// host's real CPU and memory) and detection on real hardware.
#include <memory>

#include "daemons/agent/agent_app.h"
#include "lib/accel/command_runner.h"
#include "lib/accel/hardware_profile.h"
#include "lib/accel/inventory.h"
#include "lib/accel/simulated_telemetry.h"
#include "lib/accel/vendor_adapter.h"
#include "lib/log/log.h"

namespace hai::agent {
namespace {

std::vector<cluster::Telemetry> TelemetryOf(const std::vector<accel::Device>& devices) {
  std::vector<cluster::Telemetry> out;
  for (const accel::Device& d : devices)
    out.push_back({d.index, d.memory_used_mib, d.utilization, d.temperature_c, d.power_w,
                   d.health, d.ecc_errors});
  return out;
}

uint64_t SeedFor(const std::string& node) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a: each node's simulated load differs
  for (char c : node) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

class ProfileSource final : public InventorySource {
 public:
  ProfileSource(accel::NodeInventory inv, std::string root)
      : inventory_(std::move(inv)), root_(std::move(root)), telemetry_(SeedFor(inventory_.node)) {}

  Result<accel::NodeInventory> Inventory() override {
    accel::NodeInventory inv = inventory_;
    // The accelerators are simulated; the CPU and memory are this host's own.
    HAI_ASSIGN_OR_RETURN(inv.cpu_cores, accel::CountCpuCores(root_ + "/proc/cpuinfo"));
    HAI_ASSIGN_OR_RETURN(inv.memory_mib, accel::ReadMemTotalMib(root_ + "/proc/meminfo"));
    return inv;
  }

  Result<std::vector<cluster::Telemetry>> Sample(int64_t now_ms) override {
    std::vector<accel::Device> devices = inventory_.devices;
    telemetry_.Apply(now_ms, &devices);
    return TelemetryOf(devices);
  }

 private:
  accel::NodeInventory inventory_;
  std::string root_;
  accel::SimulatedTelemetry telemetry_;
};

class DetectedSource final : public InventorySource {
 public:
  DetectedSource(const AgentConfig& config) {
    options_.root = config.sysfs_root;
    options_.node_name = config.node_name;
    options_.runner = &runner_;
    options_.registry = &registry_;
  }
  Status Init() { return accel::RegisterBuiltinAdapters(&registry_); }

  Result<accel::NodeInventory> Inventory() override {
    std::vector<Status> warnings;
    HAI_ASSIGN_OR_RETURN(accel::NodeInventory inv, accel::DetectInventory(options_, &warnings));
    for (const Status& w : warnings) log::Warn("inventory", {{"warning", w.message()}});
    return inv;
  }

  // Vendor tools are asked again each heartbeat: utilisation and health move.
  Result<std::vector<cluster::Telemetry>> Sample(int64_t) override {
    HAI_ASSIGN_OR_RETURN(accel::NodeInventory inv, accel::DetectInventory(options_));
    return TelemetryOf(inv.devices);
  }

 private:
  accel::SubprocessRunner runner_;
  accel::AdapterRegistry registry_;
  accel::DetectOptions options_;
};

}  // namespace

Result<std::unique_ptr<InventorySource>> MakeInventorySource(const AgentConfig& config) {
  if (!config.profile.empty()) {
    HAI_ASSIGN_OR_RETURN(accel::NodeInventory inv, accel::LoadHardwareProfile(config.profile));
    inv.node = config.node_name;
    return std::unique_ptr<InventorySource>(
        std::make_unique<ProfileSource>(std::move(inv), config.sysfs_root == "/" ? "" : config.sysfs_root));
  }
  auto source = std::make_unique<DetectedSource>(config);
  HAI_RETURN_IF_ERROR(source->Init());
  return std::unique_ptr<InventorySource>(std::move(source));
}

}  // namespace hai::agent
