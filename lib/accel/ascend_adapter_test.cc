#include "lib/accel/ascend_adapter.h"

#include <gtest/gtest.h>

#include "lib/accel/accel_testdata.h"
#include "lib/accel/fake_command_runner.h"
#include "lib/accel/sysfs_pci.h"

namespace hai::accel {
namespace {

using testing::Testdata;

std::vector<Device> AscendNodeFromPci() {
  auto devices = EnumeratePciAccelerators({Testdata("sysfs/ascend-node/sys")});
  EXPECT_TRUE(devices.ok()) << devices.status().ToString();
  return devices.ok() ? *devices : std::vector<Device>{};
}

// npu-smi as recorded on an 8-card 910B3 node; NPU 3 reports a health warning.
void RecordNpuSmi(FakeCommandRunner* fake, bool with_ecc = true) {
  fake->AddFile({"npu-smi", "info"}, Testdata("ascend/npu-smi-info-910b3.txt"));
  for (int i = 0; i < 8; ++i) {
    auto args = [&](const char* type) {
      return std::vector<std::string>{"npu-smi", "info", "-t", type, "-i", std::to_string(i)};
    };
    for (const char* type : {"board", "memory", "usages", "common"})
      fake->AddFile(args(type), Testdata(std::string("ascend/npu-smi-") + type + ".txt"));
    fake->AddFile(args("health"), Testdata(i == 3 ? "ascend/npu-smi-health-warning.txt"
                                                  : "ascend/npu-smi-health-ok.txt"));
    if (with_ecc) fake->AddFile(args("ecc"), Testdata("ascend/npu-smi-ecc.txt"));
  }
  fake->AddFile({"npu-smi", "info", "-t", "topo"}, Testdata("ascend/npu-smi-topo-910b.txt"));
}

const Device& ByBus(const std::vector<Device>& devices, const std::string& bus) {
  for (const Device& d : devices)
    if (d.bus_id == bus) return d;
  static const Device kNone;
  ADD_FAILURE() << "no device at " << bus;
  return kNone;
}

TEST(AscendAdapterTest, EnrichesPciDevicesFromNpuSmi) {
  std::vector<Device> devices = AscendNodeFromPci();
  FakeCommandRunner fake;
  RecordNpuSmi(&fake);
  AscendAdapter adapter(AscendAdapterConfig{});
  Status s = adapter.Enrich(&devices, fake);
  ASSERT_TRUE(s.ok()) << s.ToString();

  // Bus C1 is the 7th Huawei accelerator in PCI order but NPU 0 to npu-smi.
  const Device& npu0 = ByBus(devices, "0000:c1:00.0");
  EXPECT_EQ(npu0.index, 0);
  EXPECT_EQ(npu0.model, "Ascend910B3");
  EXPECT_EQ(npu0.numa_node, 1);  // from sysfs, kept
  EXPECT_EQ(npu0.memory_mib, 65536);
  EXPECT_EQ(npu0.memory_used_mib, 3162);
  EXPECT_DOUBLE_EQ(npu0.utilization, 3);  // -t usages/common: Aicore Usage Rate
  EXPECT_DOUBLE_EQ(npu0.temperature_c, 36);
  EXPECT_DOUBLE_EQ(npu0.power_w, 93.6);
  EXPECT_EQ(npu0.compute_units, 20);
  EXPECT_EQ(npu0.firmware, "7.1.0.5.220");
  EXPECT_EQ(npu0.ecc_errors, 0);
  EXPECT_EQ(npu0.health, Health::kOk);
  EXPECT_EQ(npu0.topology_group, "hccs0");
  EXPECT_FALSE(npu0.simulated);

  const Device& npu4 = ByBus(devices, "0000:01:00.0");
  EXPECT_EQ(npu4.index, 4);
  EXPECT_EQ(npu4.memory_used_mib, 65099);
  EXPECT_EQ(ByBus(devices, "0000:82:00.0").health, Health::kWarning);  // NPU 3
}

TEST(AscendAdapterTest, MissingNpuSmiKeepsPciFactsAndSaysSo) {
  std::vector<Device> devices = AscendNodeFromPci();
  std::vector<Device> before = devices;
  FakeCommandRunner nothing_installed;
  Status s = AscendAdapter(AscendAdapterConfig{}).Enrich(&devices, nothing_installed);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.message(), "npu-smi not found");
  ASSERT_EQ(devices.size(), before.size());
  for (size_t i = 0; i < devices.size(); ++i) {
    EXPECT_EQ(devices[i].bus_id, before[i].bus_id);
    EXPECT_EQ(devices[i].model, "Ascend910B");
    EXPECT_EQ(devices[i].memory_mib, -1);
    EXPECT_EQ(devices[i].health, Health::kUnknown);
  }
}

TEST(AscendAdapterTest, FailingQueryIsReportedButTheRestIsFilled) {
  std::vector<Device> devices = AscendNodeFromPci();
  FakeCommandRunner fake;
  RecordNpuSmi(&fake, /*with_ecc=*/false);
  Status s = AscendAdapter(AscendAdapterConfig{}).Enrich(&devices, fake);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  const Device& npu0 = ByBus(devices, "0000:c1:00.0");
  EXPECT_EQ(npu0.ecc_errors, -1);
  EXPECT_EQ(npu0.model, "Ascend910B3");
  EXPECT_EQ(npu0.topology_group, "hccs0");
}

TEST(AscendAdapterTest, ToolErrorExitIsUnavailable) {
  std::vector<Device> devices = AscendNodeFromPci();
  FakeCommandRunner fake;
  fake.AddOutput({"npu-smi", "info"}, "dcmi module initialize failed. ret is -8005\n", 255);
  Status s = AscendAdapter(AscendAdapterConfig{}).Enrich(&devices, fake);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("-8005"), std::string::npos);
}

TEST(AscendAdapterTest, ConfigIsValidatedAndToolPathUsed) {
  AscendAdapterConfig config;
  config.npu_smi = "";
  EXPECT_FALSE(config.Validate().ok());
  config.npu_smi = "/usr/local/sbin/npu-smi";
  config.timeout = std::chrono::milliseconds(0);
  EXPECT_EQ(config.Validate().field(), "timeout");
  config.timeout = std::chrono::milliseconds(100);
  FakeCommandRunner fake;
  std::vector<Device> devices = AscendNodeFromPci();
  EXPECT_EQ(AscendAdapter(config).Enrich(&devices, fake).message(),
            "/usr/local/sbin/npu-smi not found");
}

TEST(AscendAdapterTest, VisibleDevicesMapLogicalToPhysical) {
  AscendAdapter adapter(AscendAdapterConfig{});
  // The process sees NPUs 4 and 6 as its devices 0 and 1, in this order.
  auto env = adapter.VisibleDevicesEnv({4, 6});
  EXPECT_EQ(env, (std::map<std::string, std::string>{{"ASCEND_RT_VISIBLE_DEVICES", "4,6"}}));
}

TEST(AscendAdapterTest, KubernetesNamesPerSku) {
  AscendAdapter adapter(AscendAdapterConfig{});
  EXPECT_EQ(adapter.KubernetesResourceNames("Ascend910B3"),
            (std::vector<std::string>{"huawei.com/Ascend910B3", "huawei.com/Ascend910B3-memory",
                                      "huawei.com/Ascend910B3-core", "huawei.com/Ascend910",
                                      "huawei.com/npu"}));
  EXPECT_EQ(adapter.KubernetesResourceNames("Ascend310P")[0], "huawei.com/Ascend310P");
  EXPECT_EQ(adapter.KubernetesResourceNames(""), (std::vector<std::string>{"huawei.com/npu"}));
}

}  // namespace
}  // namespace hai::accel
