#include "daemons/agent/launch_plan.h"

#include <gtest/gtest.h>

#include "lib/engine_profile/profile_parser.h"

namespace hai::agent {
namespace {

class LaunchPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(accel::RegisterBuiltinAdapters(&adapters_).ok());
    auto profiles = engine_profile::LoadProfiles(HAI_SHIPPED_ENGINES_DIR);
    ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
    planner_ = std::make_unique<LaunchPlanner>(
        LaunchPlanner::Settings{*profiles, HAI_SHIPPED_ENGINES_DIR, "/opt/hai/bin", "10.0.0.5"},
        &adapters_);
  }
  cluster::ReplicaAssignment Builtin() {
    cluster::ReplicaAssignment a;
    a.replica_id = "rep-1";
    a.deployment_id = "dep-1";
    a.service = "chat";
    a.engine = "builtin";
    a.model_path = "/var/lib/hai/models/demo";
    a.vendor = accel::Vendor::kAscend;
    a.device_ids = {2, 3};
    a.simulated = true;
    return a;
  }

  accel::AdapterRegistry adapters_;
  std::unique_ptr<LaunchPlanner> planner_;
};

TEST_F(LaunchPlanTest, RendersTheBuiltinEngineOnSimulatedDevices) {
  cluster::ReplicaAssignment a = Builtin();
  a.params = {{"threads", "2"}};
  auto spec = planner_->Plan(a, "/var/lib/hai/replicas/node-1/rep-1", 21004);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->argv,
            (std::vector<std::string>{"/opt/hai/bin/hai-engine", "--model",
                                      "/var/lib/hai/models/demo", "--served-name", "chat", "--host",
                                      "10.0.0.5", "--port", "21004", "--threads", "2"}));
  EXPECT_EQ(spec->working_dir, "/var/lib/hai/replicas/node-1/rep-1");
  EXPECT_EQ(spec->health_path, "/health");
  bool passive = false;
  for (const auto& [k, v] : spec->env)
    passive = passive || (k == "OMP_WAIT_POLICY" && v == "PASSIVE");
  EXPECT_TRUE(passive);
}

TEST_F(LaunchPlanTest, TheDeploymentMayChooseTheWaitPolicy) {
  cluster::ReplicaAssignment a = Builtin();
  a.env = {{"OMP_WAIT_POLICY", "ACTIVE"}};
  auto spec = planner_->Plan(a, "/w/rep-1", 21004);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  int count = 0;
  for (const auto& [k, v] : spec->env)
    if (k == "OMP_WAIT_POLICY") {
      ++count;
      EXPECT_EQ(v, "ACTIVE");
    }
  EXPECT_EQ(count, 1);
  EXPECT_TRUE(std::is_sorted(spec->env.begin(), spec->env.end()));
}

TEST_F(LaunchPlanTest, RefusesWhatCannotStart) {
  cluster::ReplicaAssignment a = Builtin();
  a.engine = "no-such-engine";
  EXPECT_EQ(planner_->Plan(a, "/w/rep-1", 21004).status().code(), Code::kNotFound);
  a = Builtin();
  a.engine = "vllm";  // needs real devices
  EXPECT_FALSE(planner_->Plan(a, "/w/rep-1", 21004).ok());
  a = Builtin();
  a.args = {"--port", "1"};  // the placement owns the port
  auto bad = planner_->Plan(a, "/w/rep-1", 21004);
  EXPECT_EQ(bad.status().field(), "args[0]");
}

}  // namespace
}  // namespace hai::agent
