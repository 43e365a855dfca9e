#include "hwcheck/profile.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "hwcheck/hwcheck_test_util.h"

namespace hai::hwcheck {
namespace {

std::string ProfilePath(const std::string& name) {
  return std::string(HAI_PROFILES_DIR) + "/" + name;
}

constexpr const char* kNode = "[node]\ncpu_cores = 8\nmemory_mib = 1024\n";

TEST(HwProfileTest, AscendProfileHasItsHwcheckTable) {
  auto p = LoadHwProfile(ProfilePath("ascend-910b3-x8.toml"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->vendor, accel::Vendor::kAscend);
  EXPECT_EQ(p->device_count, 8);
  EXPECT_EQ(p->device_model, "Ascend910B3");
  EXPECT_EQ(p->device_memory_mib, 65536);
  EXPECT_EQ(p->npu_nic_speed_mbps, 200000);
  EXPECT_EQ(p->npu_nic_count, 8);
  EXPECT_DOUBLE_EQ(p->roce_min_gbps, 190);
  EXPECT_DOUBLE_EQ(p->hbm_min_fraction, 0.95);
  EXPECT_EQ(p->thp, "madvise");
  EXPECT_EQ(p->name, "sim-ascend-910b3");
  EXPECT_GT(p->host_cpu_cores, 0);
  // The shipped table is read, not just defaulted: a typo in it is caught.
  std::string text = testing::ReadText(ProfilePath("ascend-910b3-x8.toml"));
  const size_t at = text.find("[hwcheck]\n");
  ASSERT_NE(at, std::string::npos);
  text.insert(at + 10, "roce_min_gpbs = 1\n");
  auto typo = ParseHwProfile(text, "ascend.toml");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("ascend.toml: hwcheck.roce_min_gpbs: unknown key"),
            std::string::npos);
}

TEST(HwProfileTest, NvidiaProfileHasNoNpuNics) {
  auto p = LoadHwProfile(ProfilePath("nvidia-h100-x8.toml"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->vendor, accel::Vendor::kNvidia);
  EXPECT_EQ(p->device_count, 8);
  EXPECT_EQ(p->npu_nic_count, 0);
}

TEST(HwProfileTest, EveryShippedProfileLoads) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(HAI_PROFILES_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    auto p = LoadHwProfile(entry.path().string());
    EXPECT_TRUE(p.ok()) << entry.path() << ": " << p.status().ToString();
    ++n;
  }
  EXPECT_GE(n, 7);
}

TEST(HwProfileTest, BuiltInDefaultIsCpuOnlyWithDefaults) {
  auto p = LoadHwProfile("");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->path, "");
  EXPECT_EQ(p->vendor, accel::Vendor::kCpu);
  EXPECT_EQ(p->device_count, 0);
  EXPECT_EQ(p->npu_nic_count, 0);
  EXPECT_DOUBLE_EQ(p->ntp_max_offset_ms, 1.0);
  EXPECT_DOUBLE_EQ(p->baseline_bandwidth_fraction, 0.9);
}

TEST(HwProfileTest, ValuesAndIntegersForFloats) {
  auto p = ParseHwProfile(std::string(kNode) +
                              "[hwcheck]\nroce_min_gbps = 180\nhbm_min_fraction = 0.9\n"
                              "npu_nic_count = 4\nthp = \"never\"\ntcp_min_gbps = 9.5\n",
                          "p.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_DOUBLE_EQ(p->roce_min_gbps, 180);
  EXPECT_DOUBLE_EQ(p->hbm_min_fraction, 0.9);
  EXPECT_EQ(p->npu_nic_count, 4);
  EXPECT_EQ(p->thp, "never");
  EXPECT_DOUBLE_EQ(p->tcp_min_gbps, 9.5);
  EXPECT_EQ(p->path, "p.toml");
}

TEST(HwProfileTest, ErrorsNameFileAndKey) {
  struct Case {
    std::string hwcheck;
    const char* message;
  } cases[] = {
      {"colour = 1\n", "bad.toml: hwcheck.colour: unknown key"},
      {"roce_min_gbps = \"fast\"\n", "bad.toml: hwcheck.roce_min_gbps: expected a number"},
      {"hbm_min_fraction = 1.5\n", "bad.toml: hwcheck.hbm_min_fraction: expected a number from"},
      {"npu_nic_speed_mbps = 2.5\n", "bad.toml: hwcheck.npu_nic_speed_mbps: expected an integer"},
      {"npu_nic_count = 65\n", "bad.toml: hwcheck.npu_nic_count: expected an integer from -1"},
      {"thp = \"sometimes\"\n", "bad.toml: hwcheck.thp: expected one of always, madvise, never"},
      {"roce_min_gbps = -1\n", "bad.toml: hwcheck.roce_min_gbps"},
      {"ntp_max_offset_ms = nan\n", "bad.toml: hwcheck.ntp_max_offset_ms"},
  };
  for (const Case& c : cases) {
    auto p = ParseHwProfile(std::string(kNode) + "[hwcheck]\n" + c.hwcheck, "bad.toml");
    ASSERT_FALSE(p.ok()) << c.hwcheck;
    EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
    EXPECT_NE(p.status().message().find(c.message), std::string::npos)
        << "got: " << p.status().message();
  }
  auto not_table = ParseHwProfile(std::string("hwcheck = 3\n") + kNode, "bad.toml");
  ASSERT_FALSE(not_table.ok());
  EXPECT_NE(not_table.status().message().find("bad.toml: hwcheck: expected a [hwcheck] table"),
            std::string::npos)
      << not_table.status().message();
  // The inventory part's errors come through unchanged.
  auto bad_node = ParseHwProfile("[node]\ncpu_cores = 8\n", "bad.toml");
  ASSERT_FALSE(bad_node.ok());
  EXPECT_NE(bad_node.status().message().find("bad.toml: node.memory_mib: required"),
            std::string::npos);
}

TEST(HwProfileTest, MissingFileNamesIt) {
  auto p = LoadHwProfile("/nonexistent/x.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("/nonexistent/x.toml"), std::string::npos);
}

}  // namespace
}  // namespace hai::hwcheck
