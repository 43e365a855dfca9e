#include "lib/accel/sysfs_pci.h"

#include <gtest/gtest.h>

#include "lib/accel/accel_testdata.h"

namespace hai::accel {
namespace {

using testing::Testdata;

TEST(SysfsPciTest, ReadsEveryFunctionSortedByBusId) {
  auto fns = ReadPciFunctions(Testdata("sysfs/ascend-node/sys"));
  ASSERT_TRUE(fns.ok()) << fns.status().ToString();
  ASSERT_EQ(fns->size(), 11u);
  EXPECT_EQ(fns->front().bus_id, "0000:00:00.0");
  const PciFunction& npu = (*fns)[1];
  EXPECT_EQ(npu.bus_id, "0000:01:00.0");
  EXPECT_EQ(npu.vendor_id, 0x19e5);
  EXPECT_EQ(npu.device_id, 0xd802);
  EXPECT_EQ(npu.class_code, 0x120000u);
  EXPECT_EQ(npu.ClassAndSubclass(), kPciClassProcessingAccelerator);
  EXPECT_EQ(npu.numa_node, 0);
}

TEST(SysfsPciTest, HuaweiNicBmcDisplayAndRootPortAreNotNpus) {
  auto devices = EnumeratePciAccelerators({Testdata("sysfs/ascend-node/sys")});
  ASSERT_TRUE(devices.ok()) << devices.status().ToString();
  ASSERT_EQ(devices->size(), 8u);  // of 11 Huawei functions
  for (const Device& d : *devices) {
    EXPECT_EQ(d.vendor, Vendor::kAscend);
    EXPECT_EQ(d.model, "Ascend910B");     // 0xd802, what PCI alone proves
    EXPECT_NE(d.bus_id, "0000:3d:00.0");  // NIC
    EXPECT_NE(d.bus_id, "0000:05:00.0");  // VGA
    EXPECT_FALSE(d.simulated);
    EXPECT_EQ(d.memory_mib, -1);  // never guessed from PCI
  }
  EXPECT_EQ((*devices)[0].bus_id, "0000:01:00.0");
  EXPECT_EQ((*devices)[0].index, 0);
  EXPECT_EQ((*devices)[7].bus_id, "0000:c2:00.0");
  EXPECT_EQ((*devices)[7].index, 7);
  EXPECT_EQ((*devices)[7].numa_node, 1);
}

TEST(SysfsPciTest, ClassifiesEveryFamilyAndSkipsLookAlikes) {
  auto devices = EnumeratePciAccelerators({Testdata("sysfs/mixed-node/sys")});
  ASSERT_TRUE(devices.ok()) << devices.status().ToString();
  std::map<Vendor, int> count;
  for (const Device& d : *devices) ++count[d.vendor];
  EXPECT_EQ(count[Vendor::kNvidia], 2);  // not the NVSwitch bridge nor the audio function
  EXPECT_EQ(count[Vendor::kHygon], 2);   // not the Hygon host bridge
  EXPECT_EQ(count[Vendor::kMetax], 1);
  EXPECT_EQ(count[Vendor::kMthreads], 1);
  EXPECT_EQ(count[Vendor::kPpu], 1);
  EXPECT_EQ(devices->size(), 7u);  // the Mellanox NIC is nobody's
  for (const Device& d : *devices) {
    if (d.vendor == Vendor::kMthreads) {
      EXPECT_EQ(d.numa_node, -1);  // no numa_node file
    }
    if (d.vendor == Vendor::kHygon && d.bus_id == "0000:3c:00.0") {
      EXPECT_EQ(d.index, 1);
    }
  }
}

TEST(SysfsPciTest, PpuVendorIdIsConfigurable) {
  PciOptions options{Testdata("sysfs/mixed-node/sys")};
  options.ppu_vendor_id = 0x1234;  // as if the site's PPUs had another id
  auto devices = EnumeratePciAccelerators(options);
  ASSERT_TRUE(devices.ok());
  for (const Device& d : *devices) EXPECT_NE(d.vendor, Vendor::kPpu);
  options.ppu_vendor_id = 0;
  EXPECT_EQ(EnumeratePciAccelerators(options).status().code(), Code::kInvalidArgument);
}

TEST(SysfsPciTest, ClassRulesPerVendor) {
  auto rules = DefaultPciRules(kPciVendorPpuDefault);
  PciFunction fn;
  fn.vendor_id = kPciVendorHuawei;
  fn.class_code = 0x038000;
  EXPECT_EQ(ClassifyPciFunction(fn, rules), Vendor::kAscend);
  fn.class_code = 0x030200;
  EXPECT_EQ(ClassifyPciFunction(fn, rules), Vendor::kAscend);
  fn.class_code = 0x020000;  // Huawei NIC
  EXPECT_EQ(ClassifyPciFunction(fn, rules), std::nullopt);
  fn.vendor_id = kPciVendorNvidia;
  fn.class_code = 0x030000;
  EXPECT_EQ(ClassifyPciFunction(fn, rules), Vendor::kNvidia);
  fn.class_code = 0x120000;  // NVIDIA counts only VGA and 3D
  EXPECT_EQ(ClassifyPciFunction(fn, rules), std::nullopt);
  fn.vendor_id = kPciVendorHygon;
  fn.class_code = 0x060000;
  EXPECT_EQ(ClassifyPciFunction(fn, rules), std::nullopt);
}

TEST(SysfsPciTest, MissingTreeIsUnavailableAndMalformedFileIsNamed) {
  EXPECT_EQ(ReadPciFunctions(Testdata("sysfs/nope")).status().code(), Code::kUnavailable);
  auto bad = ReadPciFunctions(Testdata("sysfs/malformed/sys"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("0000:01:00.0/vendor"), std::string::npos)
      << bad.status().message();
}

TEST(SysfsPciTest, NormalizesToolBusIds) {
  EXPECT_EQ(NormalizeBusId("00000000:9A:00.0"), "0000:9a:00.0");
  EXPECT_EQ(NormalizeBusId("0000:C1:00.0"), "0000:c1:00.0");
  EXPECT_EQ(NormalizeBusId("0000:c1:00.0"), "0000:c1:00.0");
}

TEST(SysfsPciTest, ModelFromPciIdsOnlyForKnownAscendIds) {
  EXPECT_EQ(ModelFromPciIds(Vendor::kAscend, 0xd500), "Ascend310P");
  EXPECT_EQ(ModelFromPciIds(Vendor::kAscend, 0x1822), "");
  EXPECT_EQ(ModelFromPciIds(Vendor::kNvidia, 0x2330), "");
}

}  // namespace
}  // namespace hai::accel
