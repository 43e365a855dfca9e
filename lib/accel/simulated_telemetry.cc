#include "lib/accel/simulated_telemetry.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace hai::accel {
namespace {

uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr double kSwellPeriodMs = 300'000;
constexpr int64_t kStepMs = 10'000;

}  // namespace

double SimulatedTelemetry::Unit(uint64_t a, uint64_t b) const {
  return static_cast<double>(Mix(Mix(seed_ ^ Mix(a)) ^ b) >> 11) * 0x1.0p-53;
}

void SimulatedTelemetry::Apply(int64_t now_ms, std::vector<Device>* devices) const {
  const uint64_t step = static_cast<uint64_t>(std::max<int64_t>(now_ms, 0) / kStepMs);
  for (Device& d : *devices) {
    if (!d.simulated) continue;
    const uint64_t id = static_cast<uint64_t>(d.index) * 7919 + static_cast<uint64_t>(d.vendor);
    const double base = 15 + 50 * Unit(id, 1);  // 15–65 %
    const double phase = Unit(id, 2);
    const double swell =
        std::sin(2 * std::numbers::pi * (static_cast<double>(now_ms) / kSwellPeriodMs + phase));
    const double jitter = 2 * Unit(id, 1000 + step) - 1;  // −1 … 1, new every step
    const double util = std::clamp(base + 25 * swell + 8 * jitter, 0.0, 100.0);

    d.utilization = std::round(util * 10) / 10;
    if (d.memory_mib > 0) {
      double share = std::clamp(0.10 + 0.8 * base / 100 + 0.05 * swell, 0.10, 0.95);
      d.memory_used_mib = static_cast<int64_t>(static_cast<double>(d.memory_mib) * share);
    }
    d.temperature_c = std::round((30 + 0.5 * util) * 10) / 10;
    d.power_w = std::round((60 + 3 * util) * 10) / 10;
  }
}

}  // namespace hai::accel
