#pragma once

#include <string>
#include <vector>

#include "lib/accel/device.h"
#include "lib/metrics/registry.h"

namespace hai::agent {

// The per-device Prometheus gauges a compute platform scrapes (CP1),
// labelled node, vendor, model, index and simulated. Thread-safe.
class DeviceMetrics {
 public:
  explicit DeviceMetrics(metrics::Registry* registry);
  void Update(const std::string& node, const std::vector<accel::Device>& devices);

 private:
  metrics::Family* present_;
  metrics::Family* memory_total_;
  metrics::Family* memory_used_;
  metrics::Family* utilization_;
  metrics::Family* temperature_;
  metrics::Family* power_;
  metrics::Family* health_;
  metrics::Family* ecc_;
};

}  // namespace hai::agent
