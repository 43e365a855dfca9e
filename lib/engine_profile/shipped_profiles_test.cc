// The profiles in profiles/engines/ as shipped: every one loads, and each
// says what the agent and the deploy form rely on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "lib/engine_profile/profile_parser.h"

namespace hai::engine_profile {
namespace {

using accel::Vendor;

TEST(ShippedProfilesTest, EveryProfileLoads) {
  auto profiles = LoadProfiles(HAI_ENGINE_PROFILES_DIR);
  ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
  std::vector<std::string> names;
  for (const EngineProfile& p : *profiles) names.push_back(p.name);
  // File name order: "vllm-ascend.toml" sorts before "vllm.toml".
  EXPECT_THAT(names, ::testing::ElementsAre("builtin", "llama-cpp-server", "mindie", "sglang",
                                            "vllm-ascend", "vllm"));
  for (const EngineProfile& p : *profiles) {
    SCOPED_TRACE(p.name);
    EXPECT_FALSE(p.display_name.empty());
    EXPECT_FALSE(p.description.empty());
    EXPECT_TRUE(p.ServesCategory(Category::kTextGeneration));
    EXPECT_EQ(p.metrics_path, "/metrics");
    EXPECT_FALSE(p.SupportsVendor(Vendor::kCpu) && p.name != "builtin")
        << "only the built-in engine is offered for CPU-only placements";
  }
}

TEST(ShippedProfilesTest, BuiltinRunsEverywhere) {
  auto profiles = LoadProfiles(HAI_ENGINE_PROFILES_DIR);
  ASSERT_TRUE(profiles.ok());
  const EngineProfile* builtin = FindProfile(*profiles, "builtin");
  ASSERT_NE(builtin, nullptr);
  for (Vendor v : accel::AllVendors()) EXPECT_TRUE(builtin->SupportsVendor(v)) << VendorName(v);
  EXPECT_TRUE(builtin->runs_on_simulated_devices);
  EXPECT_TRUE(builtin->ServesCategory(Category::kEmbedding));
  EXPECT_TRUE(builtin->ServesCategory(Category::kRerank));
  EXPECT_TRUE(builtin->metric_map.empty());  // hai-engine already uses vLLM's names
  // Only the built-in engine may be placed on simulated devices.
  for (const EngineProfile& p : *profiles)
    EXPECT_EQ(p.runs_on_simulated_devices, p.name == "builtin") << p.name;
}

TEST(ShippedProfilesTest, AscendEnginesRunOnlyOnAscend) {
  auto profiles = LoadProfiles(HAI_ENGINE_PROFILES_DIR);
  ASSERT_TRUE(profiles.ok());
  for (std::string name : {"vllm-ascend", "mindie"}) {
    const EngineProfile* p = FindProfile(*profiles, name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->vendors, std::vector<Vendor>{Vendor::kAscend}) << name;
  }
  EXPECT_FALSE(FindProfile(*profiles, "vllm")->SupportsVendor(Vendor::kAscend));
}

}  // namespace
}  // namespace hai::engine_profile
