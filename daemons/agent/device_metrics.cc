#include "daemons/agent/device_metrics.h"

namespace hai::agent {

DeviceMetrics::DeviceMetrics(metrics::Registry* r)
    : present_(r->Gauge("hai_accelerator_present", "1 for each accelerator the node reports.")),
      memory_total_(r->Gauge("hai_accelerator_memory_total_bytes", "Device memory (HBM) size.")),
      memory_used_(r->Gauge("hai_accelerator_memory_used_bytes", "Device memory in use.")),
      utilization_(r->Gauge("hai_accelerator_utilization_ratio", "Compute utilisation, 0 to 1.")),
      temperature_(r->Gauge("hai_accelerator_temperature_celsius", "Device temperature.")),
      power_(r->Gauge("hai_accelerator_power_watts", "Device power draw.")),
      health_(r->Gauge("hai_accelerator_health",
                       "0 ok, 1 warning, 2 critical, -1 unknown (vendor health).")),
      ecc_(r->Gauge("hai_accelerator_ecc_uncorrectable_errors", "Uncorrectable ECC errors.")) {}

void DeviceMetrics::Update(const std::string& node, const std::vector<accel::Device>& devices) {
  for (const accel::Device& d : devices) {
    metrics::Labels l = {{"node", node},
                         {"vendor", std::string(accel::VendorName(d.vendor))},
                         {"model", d.model},
                         {"index", std::to_string(d.index)},
                         {"simulated", d.simulated ? "true" : "false"}};
    present_->Set(l, 1);
    // Values the vendor did not give are left out rather than exported as 0.
    if (d.memory_mib >= 0) memory_total_->Set(l, double(d.memory_mib) * 1024 * 1024);
    if (d.memory_used_mib >= 0) memory_used_->Set(l, double(d.memory_used_mib) * 1024 * 1024);
    if (d.utilization >= 0) utilization_->Set(l, d.utilization / 100.0);
    if (d.temperature_c >= 0) temperature_->Set(l, d.temperature_c);
    if (d.power_w >= 0) power_->Set(l, d.power_w);
    if (d.ecc_errors >= 0) ecc_->Set(l, double(d.ecc_errors));
    double h = d.health == accel::Health::kOk        ? 0
               : d.health == accel::Health::kWarning ? 1
               : d.health == accel::Health::kCritical ? 2
                                                       : -1;
    health_->Set(l, h);
  }
}

}  // namespace hai::agent
