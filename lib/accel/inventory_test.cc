#include "lib/accel/inventory.h"

#include <gtest/gtest.h>

#include "lib/accel/accel_testdata.h"
#include "lib/accel/fake_command_runner.h"

namespace hai::accel {
namespace {

using testing::Testdata;

class InventoryTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(RegisterBuiltinAdapters(&registry_).ok()); }
  DetectOptions Options(const std::string& tree) {
    DetectOptions o;
    o.root = Testdata("sysfs/" + tree);
    o.runner = &fake_;
    o.registry = &registry_;
    o.node_name = "node-a";
    return o;
  }
  AdapterRegistry registry_;
  FakeCommandRunner fake_;
};

TEST_F(InventoryTest, AscendNodeWithNpuSmi) {
  fake_.AddFile({"npu-smi", "info"}, Testdata("ascend/npu-smi-info-910b3.txt"));
  fake_.AddFile({"npu-smi", "info", "-t", "topo"}, Testdata("ascend/npu-smi-topo-910b.txt"));
  for (int i = 0; i < 8; ++i) {
    for (const char* type : {"board", "memory", "usages", "common", "ecc"})
      fake_.AddFile({"npu-smi", "info", "-t", type, "-i", std::to_string(i)},
                    Testdata(std::string("ascend/npu-smi-") + type + ".txt"));
    // A tool version that refuses `-t health`: a warning, not a failed detection.
    fake_.AddOutput({"npu-smi", "info", "-t", "health", "-i", std::to_string(i)}, "", 1,
                    "Error: parameter -t health is invalid");
  }
  std::vector<Status> warnings;
  auto inv = DetectInventory(Options("ascend-node"), &warnings);
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->node, "node-a");
  EXPECT_EQ(inv->cpu_cores, 6);
  EXPECT_EQ(inv->memory_mib, 1583265792 / 1024);
  ASSERT_EQ(inv->devices.size(), 8u);
  for (const Device& d : inv->devices) {
    EXPECT_EQ(d.model, "Ascend910B3");
    EXPECT_EQ(d.memory_mib, 65536);
    EXPECT_EQ(d.topology_group, "hccs0");
  }
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].message(),
            "npu-smi info -t health -i 0 exited with 1: Error: parameter -t health is invalid");
  EXPECT_EQ(inv->devices[0].health, Health::kOk);  // from the summary table
}

TEST_F(InventoryTest, MixedNodeWithoutAnyVendorToolKeepsPciFacts) {
  std::vector<Status> warnings;
  auto inv = DetectInventory(Options("mixed-node"), &warnings);
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->cpu_cores, 4);
  EXPECT_EQ(inv->memory_mib, 16318480 / 1024);
  EXPECT_EQ(inv->devices.size(), 7u);
  // nvidia-smi and hy-smi/rocm-smi are missing; the PCI-only adapters run nothing.
  ASSERT_EQ(warnings.size(), 2u);
  for (const Status& w : warnings) {
    EXPECT_EQ(w.code(), Code::kUnavailable);
    EXPECT_NE(w.message().find("not found"), std::string::npos) << w.message();
  }
  for (const Device& d : inv->devices) {
    EXPECT_FALSE(d.bus_id.empty());
    EXPECT_EQ(d.health, Health::kUnknown);
  }
}

TEST_F(InventoryTest, NodeWithoutAcceleratorsIsCpuOnly) {
  auto inv = DetectInventory(Options("no-accelerators"));
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_TRUE(inv->devices.empty());
  EXPECT_EQ(inv->cpu_cores, 4);
  EXPECT_TRUE(fake_.calls().empty());
}

TEST_F(InventoryTest, OptionsAreValidated) {
  DetectOptions o = Options("ascend-node");
  o.runner = nullptr;
  EXPECT_EQ(DetectInventory(o).status().field(), "runner");
  o = Options("ascend-node");
  o.node_name.clear();
  EXPECT_EQ(o.Validate().field(), "node_name");
  o = Options("ascend-node");
  o.registry = nullptr;
  EXPECT_EQ(o.Validate().field(), "registry");
  o = Options("ascend-node");
  o.root.clear();
  EXPECT_EQ(o.Validate().field(), "root");
}

TEST_F(InventoryTest, UnreadableProcOrPciIsAnError) {
  EXPECT_EQ(DetectInventory(Options("nope")).status().code(), Code::kUnavailable);
  EXPECT_EQ(DetectInventory(Options("malformed")).status().code(), Code::kUnavailable);  // no /proc
}

TEST_F(InventoryTest, VendorWithoutAdapterIsAnError) {
  AdapterRegistry empty;
  DetectOptions o = Options("ascend-node");
  o.registry = &empty;
  EXPECT_EQ(DetectInventory(o).status().code(), Code::kNotFound);
}

TEST(ProcReadersTest, CountsProcessorsAndReadsMemTotal) {
  EXPECT_EQ(*CountCpuCores(Testdata("sysfs/mixed-node/proc/cpuinfo")), 4);
  EXPECT_EQ(*ReadMemTotalMib(Testdata("sysfs/mixed-node/proc/meminfo")), 15936);
  EXPECT_EQ(CountCpuCores(Testdata("sysfs/mixed-node/proc/meminfo")).status().code(),
            Code::kUnavailable);
}

}  // namespace
}  // namespace hai::accel
