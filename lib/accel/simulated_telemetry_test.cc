#include "lib/accel/simulated_telemetry.h"

#include <gtest/gtest.h>

namespace hai::accel {
namespace {

std::vector<Device> SimulatedNode() {
  std::vector<Device> devices;
  for (int i = 0; i < 8; ++i) {
    Device d;
    d.vendor = Vendor::kAscend;
    d.index = i;
    d.memory_mib = 65536;
    d.simulated = true;
    devices.push_back(d);
  }
  Device real;
  real.vendor = Vendor::kNvidia;
  real.memory_mib = 81559;
  devices.push_back(real);  // a real device must never get synthetic values
  return devices;
}

TEST(SimulatedTelemetryTest, PlausibleValuesOnSimulatedDevicesOnly) {
  std::vector<Device> devices = SimulatedNode();
  SimulatedTelemetry(42).Apply(1'700'000'000'000, &devices);
  for (const Device& d : devices) {
    if (!d.simulated) {
      EXPECT_EQ(d.utilization, -1);
      EXPECT_EQ(d.memory_used_mib, -1);
      EXPECT_EQ(d.temperature_c, -1);
      EXPECT_EQ(d.power_w, -1);
      continue;
    }
    EXPECT_GE(d.utilization, 0);
    EXPECT_LE(d.utilization, 100);
    EXPECT_GE(d.memory_used_mib, d.memory_mib / 10);
    EXPECT_LE(d.memory_used_mib, d.memory_mib * 95 / 100);
    EXPECT_GE(d.temperature_c, 30);
    EXPECT_LE(d.temperature_c, 80);
    EXPECT_GE(d.power_w, 60);
    EXPECT_LE(d.power_w, 360);
  }
}

TEST(SimulatedTelemetryTest, DeterministicForSeedAndTime) {
  std::vector<Device> a = SimulatedNode(), b = SimulatedNode(), c = SimulatedNode();
  SimulatedTelemetry(7).Apply(123'456, &a);
  SimulatedTelemetry(7).Apply(123'456, &b);
  SimulatedTelemetry(8).Apply(123'456, &c);
  bool seed_matters = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].utilization, b[i].utilization);
    EXPECT_EQ(a[i].memory_used_mib, b[i].memory_used_mib);
    EXPECT_EQ(a[i].power_w, b[i].power_w);
    seed_matters = seed_matters || a[i].utilization != c[i].utilization;
  }
  EXPECT_TRUE(seed_matters);
}

TEST(SimulatedTelemetryTest, ValuesMoveOverTimeAndDevicesDiffer) {
  SimulatedTelemetry telemetry(1);
  std::vector<Device> devices = SimulatedNode();
  std::set<double> seen_for_device0, seen_across_devices;
  for (int64_t t = 0; t < 600'000; t += 10'000) {
    telemetry.Apply(t, &devices);
    seen_for_device0.insert(devices[0].utilization);
  }
  for (int i = 0; i < 8; ++i) seen_across_devices.insert(devices[i].utilization);
  EXPECT_GT(seen_for_device0.size(), 20u);  // a dashboard line that moves
  EXPECT_GT(seen_across_devices.size(), 4u);
}

}  // namespace
}  // namespace hai::accel
