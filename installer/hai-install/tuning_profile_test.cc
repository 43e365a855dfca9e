#include "installer/hai-install/tuning_profile.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "installer/hai-install/test_root.h"

namespace hai::install {
namespace {

TEST(TuningProfileTest, ShippedProfilesLoadAndKeepTheDriversKeys) {
  const std::string dir = SourceProfilesDir() + "/tuning";
  std::vector<std::string> names = TuningProfileNames(dir);
  for (const char* required : {"ascend-inference", "ascend-training", "generic"})
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
  for (const std::string& name : names) {
    auto p = LoadTuningProfile(dir, name);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->thp_enabled, "madvise") << name << ": the Ascend driver expects madvise";
    EXPECT_EQ(p->sched_nvme, "none") << name;
    EXPECT_FALSE(p->description.empty()) << name;
    EXPECT_FALSE(p->sysctls.empty()) << name;
    for (const auto& [key, value] : p->sysctls)
      for (const std::string& owned : DriverOwnedSysctls()) EXPECT_NE(key, owned) << name;
  }
  auto inference = LoadTuningProfile(dir, "ascend-inference");
  ASSERT_TRUE(inference.ok());
  bool numa = false;
  for (const auto& [key, value] : inference->sysctls)
    if (key == "kernel.numa_balancing") numa = value == "0";
  EXPECT_TRUE(numa);
}

class BadProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hai-tuning-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Status Load(const std::string& text) {
    std::ofstream(dir_ / "p.toml") << text;
    return LoadTuningProfile(dir_.string(), "p").status();
  }
  std::filesystem::path dir_;
};

TEST_F(BadProfileTest, ErrorsNameTheFileAndTheKey) {
  struct Case {
    std::string text, key, words;
  };
  const std::vector<Case> cases = {
      {"[sysctl]\n\"net.core.wmem_max\" = 1\n", "sysctl.net.core.wmem_max", "Ascend driver"},
      {"[sysctl]\n\"net.unix.max_dgram_qlen\" = 1\n", "sysctl.net.unix.max_dgram_qlen", "Ascend"},
      {"[sysctl]\n\"vm/swappiness\" = 1\n", "sysctl.vm/swappiness", "not a sysctl name"},
      {"[sysctl]\n\"vm.swappiness\" = true\n", "sysctl.vm.swappiness", "integer or a string"},
      {"[thp]\nenabled = \"sometimes\"\n", "thp.enabled", "always, madvise, never"},
      {"[thp]\nshmem = \"advise\"\n", "thp.shmem", "unknown key"},
      {"[io_scheduler]\nnvme = \"cfq\"\n", "io_scheduler.nvme", "cfq"},
      {"[kernel]\nx = 1\n", "kernel", "unknown key"},
      {"description = 3\n", "description", "string"},
  };
  for (const Case& c : cases) {
    Status st = Load(c.text);
    ASSERT_FALSE(st.ok()) << c.text;
    EXPECT_NE(st.message().find("p.toml: " + c.key + ":"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find(c.words), std::string::npos) << st.message();
  }
  EXPECT_EQ(LoadTuningProfile(dir_.string(), "missing").status().code(), Code::kNotFound);
}

TEST(TuningProfileTest, SysctlPaths) {
  EXPECT_EQ(SysctlPath("net.ipv4.tcp_rmem"), "/proc/sys/net/ipv4/tcp_rmem");
  EXPECT_EQ(SysctlPath("vm.swappiness"), "/proc/sys/vm/swappiness");
}

}  // namespace
}  // namespace hai::install
