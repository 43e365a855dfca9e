#pragma once

#include <cstdint>
#include <vector>

#include "lib/accel/device.h"

namespace hai::accel {

// Live values for simulated devices, so that dashboards of a node running a
// hardware profile move. The numbers are synthetic and say nothing about the
// real hardware the profile names; they only ever land on devices marked
// `simulated`. Deterministic: the same seed, device index and time give the
// same values (tests pass the time; nothing reads a clock). Thread-safe (const).
//
// Per device: a base load from the seed, a five-minute swell and a small step
// every ten seconds. Utilisation 0–100 %, memory used 10–95 % of the total,
// temperature 30–80 °C following utilisation, power 60–360 W following it.
class SimulatedTelemetry {
 public:
  explicit SimulatedTelemetry(uint64_t seed) : seed_(seed) {}

  void Apply(int64_t now_ms, std::vector<Device>* devices) const;

 private:
  double Unit(uint64_t a, uint64_t b) const;  // deterministic value in [0, 1)
  uint64_t seed_;
};

}  // namespace hai::accel
