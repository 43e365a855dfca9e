// The device-groups step: `hai` joins the accelerator groups that exist on
// the target (usermod through the fake System on a running host, an edit of
// ROOT/etc/group under --root), once; absent groups are skipped; a later
// failure takes back only what this run added; --verify names a missing
// membership.
#include <gtest/gtest.h>

#include "installer/hai-install/executor.h"
#include "installer/hai-install/fake_system.h"
#include "installer/hai-install/plan_builder.h"
#include "installer/hai-install/test_root.h"
#include "installer/hai-install/verify.h"

namespace hai::install {
namespace {

class DeviceGroupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile = LoadTuningProfile(SourceProfilesDir() + "/tuning", "ascend-inference");
    ASSERT_TRUE(profile.ok());
    sys_.SeedTunableHost(*profile);
    sys_.group_file = root_.path() + "/etc/group";
  }

  // The Ascend driver installed: its group, with its own user in it.
  void InstallDriverGroup(const std::string& extra = "") {
    root_.Write("etc/group", root_.Read("etc/group") + "HwHiAiUser:x:1000:HwHiAiUser\n" + extra);
  }

  Plan MakePlan(const std::string& toml) { return TestPlan(toml, root_.path(), live_); }

  RunContext Context() { return TestContext(&sys_, root_.path(), live_); }

  ApplyResult Apply(const std::string& toml = kControlToml) {
    Plan plan = MakePlan(toml);
    RunContext ctx = Context();
    Journal journal(root_.path());
    return ApplyPlan(plan, &ctx, &journal);
  }

  Check VerifyGroup(const std::string& group) {
    Plan plan = MakePlan(kControlToml);
    Checks checks = VerifyPlan(plan, Context(), Accounts::Load(root_.path()));
    for (const Check& c : checks)
      if (c.id == "accounts:group:" + group) return c;
    ADD_FAILURE() << "no check for group " << group;
    return {};
  }

  static const StepOutcome& Outcome(const ApplyResult& r) {
    for (const StepOutcome& s : r.steps)
      if (s.id == "device-groups") return s;
    static const StepOutcome none;
    ADD_FAILURE() << "no device-groups step";
    return none;
  }

  bool Ran(const std::string& part) const {
    for (const std::string& c : sys_.changes)
      if (c.find(part) != std::string::npos) return true;
    return false;
  }

  TestRoot root_;
  FakeSystem sys_;
  bool live_ = true;
};

TEST_F(DeviceGroupsTest, JoinsAnExistingGroupOnceAndRestartsTheAgent) {
  InstallDriverGroup();
  ApplyResult first = Apply();
  ASSERT_TRUE(first.ok) << first.failed_step << ": " << first.error;
  EXPECT_EQ(Outcome(first).state, StepOutcome::State::kChanged);
  EXPECT_TRUE(Ran("usermod -aG HwHiAiUser hai"));
  EXPECT_NE(root_.Read("etc/group").find("HwHiAiUser:x:1000:HwHiAiUser,hai\n"), std::string::npos);
  EXPECT_EQ(VerifyGroup("HwHiAiUser").status, CheckStatus::kOk);

  sys_.changes.clear();
  ApplyResult second = Apply();
  ASSERT_TRUE(second.ok) << second.error;
  EXPECT_FALSE(second.Changed());
  EXPECT_EQ(Outcome(second).state, StepOutcome::State::kUnchanged);
  EXPECT_TRUE(sys_.changes.empty()) << sys_.changes.front();
}

TEST_F(DeviceGroupsTest, ADriverInstalledLaterRestartsOnlyTheAgent) {
  ASSERT_TRUE(Apply().ok);
  ASSERT_TRUE(sys_.active.contains("hai-agent.service"));
  InstallDriverGroup();
  sys_.changes.clear();
  ApplyResult again = Apply();
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(sys_.changes, (std::vector<std::string>{"usermod -aG HwHiAiUser hai",
                                                    "systemctl try-restart hai-agent.service"}));
  for (const StepOutcome& s : again.steps)
    EXPECT_EQ(s.state, s.id == "device-groups" || s.id == "units" ? StepOutcome::State::kChanged
                                                                  : StepOutcome::State::kUnchanged)
        << s.id;
}

TEST_F(DeviceGroupsTest, AnAbsentGroupIsSkipped) {
  ApplyResult result = Apply();
  ASSERT_TRUE(result.ok) << result.error;
  const StepOutcome& step = Outcome(result);
  EXPECT_EQ(step.state, StepOutcome::State::kUnchanged);
  ASSERT_EQ(step.notes.size(), 1u);
  EXPECT_EQ(step.notes[0].rfind("skipped: group absent: add hai to group HwHiAiUser", 0), 0u)
      << step.notes[0];
  EXPECT_FALSE(Ran("usermod"));
  EXPECT_FALSE(Ran("try-restart hai-agent"));

  Plan plan = MakePlan(kControlToml);
  RunContext ctx = Context();
  std::vector<StepPreview> previews = PreviewPlan(plan, &ctx);
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    if (plan.steps[i].id != "device-groups") continue;
    ASSERT_EQ(previews[i].actions.size(), 1u);
    EXPECT_EQ(previews[i].actions[0], StepPreview::ActionState::kSkipped);
    EXPECT_EQ(previews[i].action_notes[0], "group absent");
  }
  Check c = VerifyGroup("HwHiAiUser");
  EXPECT_EQ(c.status, CheckStatus::kSkipped);
  EXPECT_EQ(c.detail, "group absent");
}

TEST_F(DeviceGroupsTest, AFailureAfterwardsTakesBackOnlyWhatThisRunAdded) {
  // `hai` already was in render; the run adds it to HwHiAiUser only.
  InstallDriverGroup("render:x:109:hai\n");
  const std::string toml =
      std::string(kControlToml) + "[agent]\ndevice_groups = [\"HwHiAiUser\", \"render\"]\n";
  const std::string digest = TreeDigest(root_.path());
  sys_.fail_when = " start hai.target";
  ApplyResult result = Apply(toml);
  ASSERT_FALSE(result.ok);
  EXPECT_EQ(result.failed_step, "units");
  EXPECT_TRUE(result.rollback_errors.empty()) << result.rollback_errors.front();
  EXPECT_EQ(Outcome(result).state, StepOutcome::State::kRolledBack);
  EXPECT_TRUE(Ran("gpasswd -d hai HwHiAiUser"));
  EXPECT_FALSE(Ran("gpasswd -d hai render"));
  EXPECT_EQ(TreeDigest(root_.path()), digest) << "/etc/group as it was";
}

TEST_F(DeviceGroupsTest, UnderRootTheGroupFilesAreEdited) {
  live_ = false;
  InstallDriverGroup();
  root_.Write("etc/gshadow", "root:*::\nhai:!::\nHwHiAiUser:!::HwHiAiUser\n");
  ApplyResult first = Apply();
  ASSERT_TRUE(first.ok) << first.failed_step << ": " << first.error;
  EXPECT_EQ(Outcome(first).state, StepOutcome::State::kChanged);
  EXPECT_FALSE(Ran("usermod"));
  EXPECT_NE(root_.Read("etc/group").find("HwHiAiUser:x:1000:HwHiAiUser,hai\n"), std::string::npos);
  EXPECT_NE(root_.Read("etc/gshadow").find("HwHiAiUser:!::HwHiAiUser,hai\n"), std::string::npos);
  EXPECT_EQ(VerifyGroup("HwHiAiUser").status, CheckStatus::kOk);

  const std::string digest = TreeDigest(root_.path());
  ApplyResult second = Apply();
  ASSERT_TRUE(second.ok);
  EXPECT_EQ(Outcome(second).state, StepOutcome::State::kUnchanged);
  EXPECT_EQ(TreeDigest(root_.path()), digest);
}

TEST_F(DeviceGroupsTest, UnderRootAFailureRestoresTheGroupFiles) {
  live_ = false;
  InstallDriverGroup();
  root_.Write("etc/gshadow", "HwHiAiUser:!::\n");
  const std::string digest = TreeDigest(root_.path());
  sys_.fail_when = "enable hai.target";
  ApplyResult result = Apply();
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(result.rollback_errors.empty()) << result.rollback_errors.front();
  EXPECT_EQ(TreeDigest(root_.path()), digest);
}

TEST_F(DeviceGroupsTest, VerifyNamesAMissingMembership) {
  InstallDriverGroup();
  ASSERT_TRUE(Apply().ok);
  std::string group = root_.Read("etc/group");
  group.replace(group.find("HwHiAiUser,hai"), 14, "HwHiAiUser");
  root_.Write("etc/group", group);
  Check c = VerifyGroup("HwHiAiUser");
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_EQ(c.expected, "hai is a member");
  EXPECT_EQ(c.actual, "hai is not a member");
}

}  // namespace
}  // namespace hai::install
