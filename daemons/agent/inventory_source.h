#pragma once

#include <memory>
#include <vector>

#include "lib/accel/device.h"
#include "lib/base/status.h"
#include "lib/cluster/wire.h"

namespace hai::agent {

// Where a node's devices come from: real detection (PCI + vendor tools) or a
// hardware profile's simulated inventory. Called from the agent's loop thread.
class InventorySource {
 public:
  virtual ~InventorySource() = default;
  // The full inventory, read at start and again when the agent re-registers.
  virtual Result<accel::NodeInventory> Inventory() = 0;
  // Fresh utilisation, memory, temperature, power and health per device.
  virtual Result<std::vector<cluster::Telemetry>> Sample(int64_t now_ms) = 0;
};

// A fixed inventory whose telemetry tests set by hand.
class StaticSource final : public InventorySource {
 public:
  explicit StaticSource(accel::NodeInventory inv) : inventory_(std::move(inv)) {}
  Result<accel::NodeInventory> Inventory() override { return inventory_; }
  Result<std::vector<cluster::Telemetry>> Sample(int64_t) override { return telemetry_; }
  void set_telemetry(std::vector<cluster::Telemetry> t) { telemetry_ = std::move(t); }

 private:
  accel::NodeInventory inventory_;
  std::vector<cluster::Telemetry> telemetry_;
};

}  // namespace hai::agent
