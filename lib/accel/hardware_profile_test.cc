#include "lib/accel/hardware_profile.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "lib/accel/accel_testdata.h"

namespace hai::accel {
namespace {

using testing::ProfilePath;

TEST(HardwareProfileTest, Ascend910B3x8) {
  auto inv = LoadHardwareProfile(ProfilePath("ascend-910b3-x8.toml"));
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->node, "sim-ascend-910b3");
  EXPECT_GT(inv->cpu_cores, 0);
  EXPECT_GT(inv->memory_mib, 0);
  ASSERT_EQ(inv->devices.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    const Device& d = inv->devices[i];
    EXPECT_EQ(d.index, i);
    EXPECT_EQ(d.vendor, Vendor::kAscend);
    EXPECT_EQ(d.model, "Ascend910B3");
    EXPECT_EQ(d.memory_mib, 65536);
    EXPECT_EQ(d.compute_units, 20);
    EXPECT_EQ(d.topology_group, i < 4 ? "hccs0" : "hccs1");
    EXPECT_EQ(d.numa_node, i < 4 ? 0 : 1);
    EXPECT_TRUE(d.simulated);
    EXPECT_EQ(d.bus_id, "");
    EXPECT_EQ(d.utilization, -1);  // live values only from SimulatedTelemetry
  }
}

TEST(HardwareProfileTest, EveryShippedProfileLoads) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(HAI_PROFILES_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    names.insert(entry.path().filename().string());
    auto inv = LoadHardwareProfile(entry.path().string());
    ASSERT_TRUE(inv.ok()) << inv.status().ToString();
    for (const Device& d : inv->devices) {
      EXPECT_TRUE(d.simulated);
      EXPECT_GT(d.memory_mib, 0);
      EXPECT_NE(d.vendor, Vendor::kCpu);
    }
  }
  for (const char* want :
       {"ascend-910b3-x8.toml", "metax-c500-x8.toml", "hygon-k100-x4.toml",
        "mthreads-s4000-x8.toml", "ppu-x8.toml", "nvidia-h100-x8.toml", "cpu-only.toml"})
    EXPECT_TRUE(names.contains(want)) << want;
}

TEST(HardwareProfileTest, SpotChecksOfPublishedNumbers) {
  auto hygon = LoadHardwareProfile(ProfilePath("hygon-k100-x4.toml"));
  ASSERT_TRUE(hygon.ok());
  ASSERT_EQ(hygon->devices.size(), 4u);
  EXPECT_EQ(hygon->devices[0].compute_units, 120);
  auto metax = LoadHardwareProfile(ProfilePath("metax-c500-x8.toml"));
  ASSERT_TRUE(metax.ok());
  EXPECT_EQ(metax->devices[0].compute_units, -1);  // not recorded: left unknown
  auto cpu = LoadHardwareProfile(ProfilePath("cpu-only.toml"));
  ASSERT_TRUE(cpu.ok());
  EXPECT_TRUE(cpu->devices.empty());
  auto h100 = LoadHardwareProfile(ProfilePath("nvidia-h100-x8.toml"));
  ASSERT_TRUE(h100.ok());
  EXPECT_EQ(h100->devices[7].numa_node, 1);
  EXPECT_EQ(h100->devices[7].compute_units, 132);
}

struct BadCase {
  const char* text;
  const char* expect_in_message;
};

TEST(HardwareProfileTest, BadProfilesNameFileAndKey) {
  const BadCase cases[] = {
      {"[node]\ncpu_cores = 8\n", "bad.toml: node.memory_mib: required"},
      {"[node]\ncpu_cores = 8\nmemory_mib = 1024\ncolour = \"red\"\n",
       "bad.toml: node.colour: unknown key"},
      {"[node]\ncpu_cores = \"eight\"\nmemory_mib = 1024\n", "bad.toml: node.cpu_cores: expected"},
      {"[node]\ncpu_cores = 8\nmemory_mib = 1024\n[[devices]]\nvendor = \"ascend\"\n"
       "memory_mib = 65536\n",
       "bad.toml: devices[0].model: required"},
      {"[node]\ncpu_cores = 8\nmemory_mib = 1024\n[[devices]]\nvendor = \"ascend\"\nmodel = \"x\"\n"
       "memory_mib = 1\n[[devices]]\nvendor = \"cambricon\"\nmodel = \"y\"\nmemory_mib = 1\n",
       "bad.toml: devices[1].vendor: \"cambricon\""},
      {"[node]\ncpu_cores = 8\nmemory_mib = 1024\n[[devices]]\nvendor = \"nvidia\"\nmodel = \"x\"\n"
       "memory_mib = 1\ncount = 0\n",
       "bad.toml: devices[0].count: expected an integer from 1 to 64"},
      {"[node]\ncpu_cores = 8\nmemory_mib = 1024\n[[devices]]\nvendor = \"nvidia\"\nmodel = \"x\"\n"
       "memory_mib = 1\nnuma_node = 0\n",
       "bad.toml: devices[0].numa_node: unknown key"},
      {"[node]\ncpu_cores = 8\nmemory_mib = 1024\ndevices = 3\n", "bad.toml: node.devices"},
      {"devices = 3\n[node]\ncpu_cores = 8\nmemory_mib = 1024\n",
       "bad.toml: devices: expected [[devices]]"},
      {"[gpu]\n", "bad.toml: gpu: unknown key"},
      {"[node\n", "bad.toml:1:"},
  };
  for (const BadCase& c : cases) {
    auto inv = ParseHardwareProfile(c.text, "bad.toml");
    ASSERT_FALSE(inv.ok()) << c.text;
    EXPECT_EQ(inv.status().code(), Code::kInvalidArgument);
    EXPECT_NE(inv.status().message().find(c.expect_in_message), std::string::npos)
        << "got: " << inv.status().message();
  }
}

TEST(HardwareProfileTest, HwcheckTableIsLeftToHwcheck) {
  // hai-hwcheck's thresholds share the file; the inventory loader ignores them.
  auto inv = ParseHardwareProfile(
      "[node]\ncpu_cores = 8\nmemory_mib = 1024\n[hwcheck]\nroce_min_gbps = 190.0\n", "p.toml");
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->cpu_cores, 8);
  EXPECT_TRUE(inv->devices.empty());
}

TEST(HardwareProfileTest, MissingFileIsNotFound) {
  auto inv = LoadHardwareProfile(ProfilePath("no-such-profile.toml"));
  EXPECT_EQ(inv.status().code(), Code::kNotFound);
  EXPECT_NE(inv.status().message().find("no-such-profile.toml"), std::string::npos);
}

}  // namespace
}  // namespace hai::accel
