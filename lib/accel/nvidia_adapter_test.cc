#include "lib/accel/nvidia_adapter.h"

#include <gtest/gtest.h>

#include "lib/accel/accel_testdata.h"
#include "lib/accel/fake_command_runner.h"
#include "lib/accel/sysfs_pci.h"

namespace hai::accel {
namespace {

using testing::ReadFixture;
using testing::Testdata;

const std::vector<std::string> kQueryArgv = {"nvidia-smi",
                                             "--query-gpu=" + std::string(kNvidiaQueryFields),
                                             "--format=csv,noheader,nounits"};

TEST(NvidiaSmiCsvTest, ParsesNounitsRows) {
  auto rows = ParseNvidiaSmiCsv(ReadFixture("nvidia/query-gpu-h100x2.csv"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  const NvidiaGpuRow& r = (*rows)[0];
  EXPECT_EQ(r.index, 0);
  EXPECT_EQ(r.name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(r.bus_id, "00000000:18:00.0");
  EXPECT_EQ(r.memory_total_mib, 81559);
  EXPECT_EQ(r.memory_used_mib, 472);
  EXPECT_DOUBLE_EQ(r.utilization, 3);
  EXPECT_DOUBLE_EQ(r.temperature_c, 25);
  EXPECT_DOUBLE_EQ(r.power_w, 68.52);
  EXPECT_EQ(r.ecc_uncorrected, 0);
  EXPECT_DOUBLE_EQ((*rows)[1].power_w, -1);  // [N/A]
  EXPECT_EQ((*rows)[1].ecc_uncorrected, 3);
}

TEST(NvidiaSmiCsvTest, AcceptsUnitsAndNotAvailableFields) {
  auto rows = ParseNvidiaSmiCsv(ReadFixture("nvidia/query-gpu-units.csv"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0].memory_used_mib, 1024);
  EXPECT_DOUBLE_EQ((*rows)[0].power_w, 300.1);
  EXPECT_EQ((*rows)[0].ecc_uncorrected, -1);  // [Not Supported]
  EXPECT_DOUBLE_EQ((*rows)[1].utilization, -1);
}

TEST(NvidiaSmiCsvTest, ShortLineIsAnErrorNamingIt) {
  auto rows = ParseNvidiaSmiCsv(
      "0, NVIDIA H100, 00000000:18:00.0, 81559, 472, 0, 25, 68.5, 0\n"
      "Failed to initialize NVML: Driver/library version mismatch\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("line 2"), std::string::npos);
}

TEST(NvidiaTopologyTest, Islands) {
  EXPECT_EQ(ParseNvidiaTopology(ReadFixture("nvidia/topo-m-h100x2.txt")), (std::vector<int>{0, 0}));
  EXPECT_EQ(ParseNvidiaTopology(ReadFixture("nvidia/topo-m-pairs.txt")),
            (std::vector<int>{0, 0, 1, 1}));
}

TEST(NvidiaAdapterTest, EnrichesOnlyNvidiaDevices) {
  auto pci = EnumeratePciAccelerators({Testdata("sysfs/mixed-node/sys")});
  ASSERT_TRUE(pci.ok());
  std::vector<Device> devices = *pci;
  FakeCommandRunner fake;
  fake.AddFile(kQueryArgv, Testdata("nvidia/query-gpu-h100x2.csv"));
  fake.AddFile({"nvidia-smi", "topo", "-m"}, Testdata("nvidia/topo-m-h100x2.txt"));
  Status s = NvidiaAdapter(NvidiaAdapterConfig{}).Enrich(&devices, fake);
  ASSERT_TRUE(s.ok()) << s.ToString();
  int seen = 0;
  for (const Device& d : devices) {
    if (d.vendor != Vendor::kNvidia) {
      EXPECT_EQ(d.memory_mib, -1) << VendorName(d.vendor);
      continue;
    }
    ++seen;
    EXPECT_EQ(d.model, "H100 80GB HBM3");
    EXPECT_EQ(d.memory_mib, 81559);
    EXPECT_EQ(d.topology_group, "nvlink0");
    if (d.bus_id == "0000:9a:00.0") {
      EXPECT_EQ(d.index, 1);
      EXPECT_EQ(d.numa_node, 1);
      EXPECT_EQ(d.ecc_errors, 3);
      EXPECT_EQ(d.health, Health::kWarning);
    } else {
      EXPECT_EQ(d.health, Health::kOk);
    }
  }
  EXPECT_EQ(seen, 2);
}

TEST(NvidiaAdapterTest, MissingNvidiaSmi) {
  std::vector<Device> devices(1);
  devices[0].vendor = Vendor::kNvidia;
  FakeCommandRunner fake;
  Status s = NvidiaAdapter(NvidiaAdapterConfig{}).Enrich(&devices, fake);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.message(), "nvidia-smi not found");
  EXPECT_EQ(devices[0].health, Health::kUnknown);
}

TEST(NvidiaAdapterTest, EnvAndKubernetesNames) {
  NvidiaAdapter adapter(NvidiaAdapterConfig{});
  auto env = adapter.VisibleDevicesEnv({5, 2});
  EXPECT_EQ(env.at("CUDA_VISIBLE_DEVICES"), "5,2");
  EXPECT_EQ(env.at("CUDA_DEVICE_ORDER"), "PCI_BUS_ID");
  EXPECT_EQ(adapter.KubernetesResourceNames("H100")[0], "nvidia.com/gpu");
}

}  // namespace
}  // namespace hai::accel
