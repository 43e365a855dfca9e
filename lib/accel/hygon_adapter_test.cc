#include "lib/accel/hygon_adapter.h"

#include <gtest/gtest.h>

#include "lib/accel/accel_testdata.h"
#include "lib/accel/fake_command_runner.h"
#include "lib/accel/sysfs_pci.h"

namespace hai::accel {
namespace {

using testing::ReadFixture;
using testing::Testdata;

std::vector<std::string> Argv(const std::string& tool) {
  return {tool, "--showmeminfo", "vram", "--showuse", "--showtemp", "--showpower", "--json"};
}

TEST(HygonSmiJsonTest, ParsesCards) {
  auto cards = ParseHygonSmiJson(ReadFixture("hygon/hy-smi-k100.json"));
  ASSERT_TRUE(cards.ok()) << cards.status().ToString();
  ASSERT_EQ(cards->size(), 2u);
  const HygonCard& c = (*cards)[1];
  EXPECT_EQ(c.card, 1);
  EXPECT_EQ(c.series, "K100_AI");
  EXPECT_EQ(c.vram_total_mib, 65520);
  EXPECT_EQ(c.vram_used_mib, 51200);
  EXPECT_DOUBLE_EQ(c.use_percent, 88);
  EXPECT_DOUBLE_EQ(c.temperature_c, 71);  // junction sensor
  EXPECT_DOUBLE_EQ(c.power_w, 231);
}

TEST(HygonSmiJsonTest, ParsesDtk2504KeyNames) {
  auto cards = ParseHygonSmiJson(ReadFixture("hygon/hy-smi-dtk2504.json"));
  ASSERT_TRUE(cards.ok()) << cards.status().ToString();
  ASSERT_EQ(cards->size(), 1u);
  EXPECT_DOUBLE_EQ((*cards)[0].use_percent, 12);    // "HCU use (%)"
  EXPECT_DOUBLE_EQ((*cards)[0].temperature_c, 47);  // core sensor
  EXPECT_DOUBLE_EQ((*cards)[0].power_w, -1);        // not in the output
}

TEST(HygonSmiJsonTest, RejectsNonJson) {
  EXPECT_EQ(ParseHygonSmiJson("ERROR: rocm-smi not supported").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ParseHygonSmiJson("{\"system\": {\"Driver version\": \"1\"}}").status().code(),
            Code::kInvalidArgument);
}

TEST(HygonAdapterTest, FallsBackToRocmSmiAndMatchesCardsInBusOrder) {
  auto pci = EnumeratePciAccelerators({Testdata("sysfs/mixed-node/sys")});
  ASSERT_TRUE(pci.ok());
  std::vector<Device> devices = *pci;
  FakeCommandRunner fake;  // no hy-smi on this node, only rocm-smi
  fake.AddFile(Argv("rocm-smi"), Testdata("hygon/hy-smi-k100.json"));
  Status s = HygonAdapter(HygonAdapterConfig{}).Enrich(&devices, fake);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(fake.calls().front().rfind("hy-smi", 0), 0u);
  for (const Device& d : devices) {
    if (d.vendor != Vendor::kHygon) continue;
    EXPECT_EQ(d.model, "K100_AI");
    EXPECT_EQ(d.memory_mib, 65520);
    EXPECT_EQ(d.health, Health::kOk);
    EXPECT_EQ(d.topology_group, "");  // not in the recorded format
    if (d.bus_id == "0000:3c:00.0") {
      EXPECT_EQ(d.index, 1);
      EXPECT_EQ(d.memory_used_mib, 51200);
    }
  }
}

TEST(HygonAdapterTest, NeitherToolInstalled) {
  std::vector<Device> devices(1);
  devices[0].vendor = Vendor::kHygon;
  FakeCommandRunner fake;
  Status s = HygonAdapter(HygonAdapterConfig{}).Enrich(&devices, fake);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.message(), "rocm-smi not found");
  EXPECT_EQ(fake.calls().size(), 2u);
}

TEST(HygonAdapterTest, EnvAndKubernetesNames) {
  HygonAdapter adapter(HygonAdapterConfig{});
  EXPECT_EQ(adapter.VisibleDevicesEnv({3}),
            (std::map<std::string, std::string>{{"HIP_VISIBLE_DEVICES", "3"}}));
  EXPECT_EQ(
      adapter.KubernetesResourceNames("K100_AI"),
      (std::vector<std::string>{"hygon.com/dcunum", "hygon.com/dcumem", "hygon.com/dcucores"}));
  HygonAdapterConfig bad;
  bad.tools = {};
  EXPECT_FALSE(bad.Validate().ok());
}

}  // namespace
}  // namespace hai::accel
