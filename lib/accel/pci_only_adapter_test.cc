#include "lib/accel/pci_only_adapter.h"

#include <gtest/gtest.h>

#include "lib/accel/fake_command_runner.h"
#include "lib/accel/metax_adapter.h"
#include "lib/accel/mthreads_adapter.h"
#include "lib/accel/ppu_adapter.h"

namespace hai::accel {
namespace {

using Env = std::map<std::string, std::string>;

TEST(PciOnlyAdapterTest, ReportsOnlyWhatPciProvesAndRunsNothing) {
  for (const auto& adapter : {NewMetaxAdapter(), NewMthreadsAdapter(), NewPpuAdapter()}) {
    Device d;
    d.vendor = adapter->vendor();
    d.bus_id = "0000:0e:00.0";
    d.numa_node = 0;
    std::vector<Device> devices = {d};
    FakeCommandRunner fake;
    ASSERT_TRUE(adapter->Enrich(&devices, fake).ok());
    EXPECT_TRUE(fake.calls().empty());
    EXPECT_EQ(devices[0].model, "");
    EXPECT_EQ(devices[0].memory_mib, -1);
    EXPECT_EQ(devices[0].health, Health::kUnknown);
    EXPECT_EQ(devices[0].bus_id, "0000:0e:00.0");
  }
}

TEST(PciOnlyAdapterTest, VisibleDevicesPerVendor) {
  EXPECT_EQ(NewMetaxAdapter()->VisibleDevicesEnv({1, 0}), (Env{{"CUDA_VISIBLE_DEVICES", "1,0"}}));
  EXPECT_EQ(NewMthreadsAdapter()->VisibleDevicesEnv({7}),
            (Env{{"MUSA_VISIBLE_DEVICES", "7"}, {"CUDA_VISIBLE_DEVICES", "7"}}));
  EXPECT_EQ(NewPpuAdapter()->VisibleDevicesEnv({2, 3}), (Env{{"CUDA_VISIBLE_DEVICES", "2,3"}}));
}

TEST(PciOnlyAdapterTest, KubernetesNamesPerVendor) {
  EXPECT_EQ(NewMetaxAdapter()->KubernetesResourceNames("C500")[0], "metax-tech.com/gpu");
  EXPECT_EQ(NewMthreadsAdapter()->KubernetesResourceNames("S4000"),
            (std::vector<std::string>{"mthreads.com/vgpu", "mthreads.com/sgpu-memory",
                                      "mthreads.com/sgpu-core"}));
  EXPECT_EQ(NewPpuAdapter()->KubernetesResourceNames(""),
            (std::vector<std::string>{"alibabacloud.com/ppu"}));
}

TEST(PciOnlyAdapterTest, ConfigValidation) {
  PciOnlyAdapterConfig config = MetaxAdapterConfig();
  EXPECT_TRUE(config.Validate().ok());
  config.visible_devices_vars.clear();
  EXPECT_FALSE(config.Validate().ok());
}

TEST(AdapterRegistryTest, BuiltinsCoverEveryAcceleratorVendor) {
  AdapterRegistry registry;
  ASSERT_TRUE(RegisterBuiltinAdapters(&registry).ok());
  for (Vendor v : AllVendors()) {
    if (v == Vendor::kCpu) continue;
    auto adapter = registry.Create(VendorName(v));
    ASSERT_TRUE(adapter.ok()) << VendorName(v);
    EXPECT_EQ((*adapter)->vendor(), v);
  }
  EXPECT_EQ(registry.Create("cambricon").status().code(), Code::kNotFound);
  EXPECT_EQ(RegisterBuiltinAdapters(&registry).code(), Code::kAlreadyExists);
  EXPECT_EQ(registry.Names().size(), 6u);
}

}  // namespace
}  // namespace hai::accel
