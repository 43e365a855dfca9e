#include "daemons/ctl/demo_command.h"

#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "daemons/ctl/demo_service.h"

namespace hai::ctl {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

TEST(DemoCommandTest, WeightsCommandRunsHaiModelInitAsTheUser) {
  DemoModel model{"demo", {"--arch", "qwen2", "--seed", "7"}};
  EXPECT_EQ(
      DemoWeightsCommand("/usr/bin/hai-model", "/d/models/.demo.partial", model, "hai"),
      (std::vector<std::string>{"runuser", "-u", "hai", "--", "/usr/bin/hai-model", "init", "--out",
                                "/d/models/.demo.partial", "--arch", "qwen2", "--seed", "7"}));
  EXPECT_EQ(DemoWeightsCommand("/b/hai-model", "/o", model, ""),
            (std::vector<std::string>{"/b/hai-model", "init", "--out", "/o", "--arch", "qwen2",
                                      "--seed", "7"}));
}

TEST(DemoCommandTest, WeightsUserIsRunuserOnlyWhenNeeded) {
  EXPECT_EQ(*WeightsUser(""), "");
  const passwd* me = ::getpwuid(::geteuid());
  ASSERT_NE(me, nullptr);
  const std::string own = me->pw_name;
  const std::string other = own == "nobody" ? "root" : "nobody";
  if (::geteuid() == 0) {
    EXPECT_EQ(*WeightsUser(other), other);  // root switches to anyone
  } else {
    EXPECT_EQ(*WeightsUser(own), "");  // already that user: no runuser
    Result<std::string> refused = WeightsUser(other);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
    EXPECT_NE(refused.status().message().find("as root or as " + other), std::string::npos);
  }
}

TEST(DemoCommandTest, PickVendorTakesAFreeHealthyDeviceOfAReadyNode) {
  json list = {
      {"items",
       {{{"vendor", "ascend"}, {"node_status", "NotReady"}, {"health", "ok"}, {"held_by", nullptr}},
        {{"vendor", "metax"},
         {"node_status", "Ready"},
         {"health", "critical"},
         {"held_by", nullptr}},
        {{"vendor", "hygon"},
         {"node_status", "Ready"},
         {"health", "ok"},
         {"held_by", "deployment/3"}},
        {{"vendor", "mthreads"},
         {"node_status", "Ready"},
         {"health", "ok"},
         {"held_by", nullptr}}}}};
  EXPECT_EQ(PickVendor(list), "mthreads");
  list["items"].erase(3);
  EXPECT_EQ(PickVendor(list), "");
  EXPECT_EQ(PickVendor(json::object()), "");
  EXPECT_EQ(PickVendor(json{{"items", {1, "x"}}}), "");
}

class DemoWeightsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        (fs::temp_directory_path() / ("hai-demo-weights-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.data_dir = dir_;
    options_.run_as = "";
    options_.bin_dir = HAI_TEST_BIN_DIR;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
  DemoOptions options_;
};

TEST_F(DemoWeightsTest, WritesEachDemoModelOnceAndLeavesNoPartialFolder) {
  ASSERT_TRUE(MakeDemoWeights(options_).ok());
  for (const DemoModel& model : EmbeddedDemoModels())
    EXPECT_TRUE(fs::exists(dir_ + "/models/" + model.name + "/config.json")) << model.name;
  const auto written = fs::last_write_time(dir_ + "/models/demo/config.json");
  ASSERT_TRUE(MakeDemoWeights(options_).ok());  // present: not made again
  EXPECT_EQ(fs::last_write_time(dir_ + "/models/demo/config.json"), written);
  for (const auto& entry : fs::directory_iterator(dir_ + "/models"))
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
}

TEST_F(DemoWeightsTest, AFailedInitLeavesNothingBehind) {
  options_.bin_dir = dir_ + "/no-such-bin";
  Status st = MakeDemoWeights(options_);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("hai-model"), std::string::npos) << st.message();
  EXPECT_FALSE(fs::exists(dir_ + "/models/demo"));
  EXPECT_FALSE(fs::exists(dir_ + "/models/.demo.partial"));
}

TEST_F(DemoWeightsTest, RunDemoRefusesBadInputBeforeTouchingAnything) {
  options_.portal_url = "ftp://127.0.0.1:1";
  EXPECT_EQ(RunDemo(options_), 1);
  options_.portal_url = "http://127.0.0.1:1";  // nothing listens; never reached
  EXPECT_EQ(RunDemo(options_), 1);             // no admin-password file
  EXPECT_FALSE(fs::exists(dir_ + "/models"));
}

}  // namespace
}  // namespace hai::ctl
