// Applying plans through a fake System: everything applied once, nothing the
// second time, and a failure at any step undoing every earlier one.
#include "installer/hai-install/executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "installer/hai-install/fake_system.h"
#include "installer/hai-install/plan_builder.h"
#include "installer/hai-install/test_root.h"

namespace hai::install {
namespace {

const std::string kIsolating = std::string(kControlToml) + "[tuning]\nisolcpus = \"2-15\"\n";

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile = LoadTuningProfile(SourceProfilesDir() + "/tuning", "ascend-inference");
    ASSERT_TRUE(profile.ok());
    sys_.SeedTunableHost(*profile);
  }

  Plan MakePlan(const std::string& toml, bool start = true) {
    return TestPlan(toml, root_.path(), start);
  }

  RunContext Context() { return TestContext(&sys_, root_.path(), /*live=*/true); }

  ApplyResult Apply(const std::string& toml) {
    Plan plan = MakePlan(toml);
    RunContext ctx = Context();
    Journal journal(root_.path());
    return ApplyPlan(plan, &ctx, &journal);
  }

  bool Ran(const std::string& part) const {
    for (const std::string& c : sys_.changes)
      if (c.find(part) != std::string::npos) return true;
    return false;
  }
  // Index of the first change command containing `part` at or after `from`.
  size_t FindChange(const std::string& part, size_t from = 0) const {
    for (size_t i = from; i < sys_.changes.size(); ++i)
      if (sys_.changes[i].find(part) != std::string::npos) return i;
    return std::string::npos;
  }

  TestRoot root_;
  FakeSystem sys_;
};

TEST_F(ExecutorTest, AppliesEverythingThenChangesNothing) {
  ApplyResult first = Apply(kIsolating);
  ASSERT_TRUE(first.ok) << first.failed_step << ": " << first.error;
  EXPECT_TRUE(first.Changed());
  EXPECT_EQ(sys_.live["/proc/sys/vm/swappiness"], "10\n");
  EXPECT_EQ(sys_.live["/proc/sys/net/ipv4/tcp_rmem"], "4096\t131072\t16777216\n");
  EXPECT_EQ(sys_.live["/sys/kernel/mm/transparent_hugepage/enabled"], "always [madvise] never\n");
  EXPECT_NE(sys_.nft_table.find("comment \"hai: scheduler\""), std::string::npos);
  for (const char* unit : {"hai.target", "hai-portal.service", "hai-scheduler.service",
                           "hai-agent.service", "hai-gateway.service"}) {
    EXPECT_TRUE(sys_.enabled.contains(unit)) << unit;
    EXPECT_TRUE(sys_.active.contains(unit)) << unit;
  }
  EXPECT_TRUE(sys_.enabled.contains("nftables.service"));
  EXPECT_TRUE(Ran("udevadm trigger --subsystem-match=block --action=change"));
  EXPECT_TRUE(Ran("update-grub"));
  EXPECT_TRUE(Ran("systemctl restart chrony.service"));
  EXPECT_EQ(root_.Read("etc/default/grub.d/hai.cfg").find("isolcpus=2-15") == std::string::npos,
            false);
  EXPECT_FALSE(std::filesystem::exists(root_.path() + "/var/lib/hai-install"))
      << "the journal goes when the run ends";

  const std::string digest = TreeDigest(root_.path());
  const size_t changes = sys_.changes.size();
  ApplyResult second = Apply(kIsolating);
  ASSERT_TRUE(second.ok) << second.error;
  EXPECT_FALSE(second.Changed());
  for (const StepOutcome& s : second.steps)
    EXPECT_EQ(s.state, StepOutcome::State::kUnchanged) << s.id;
  EXPECT_EQ(sys_.changes.size(), changes) << "no command changed anything: " << sys_.changes.back();
  EXPECT_EQ(TreeDigest(root_.path()), digest);
}

TEST_F(ExecutorTest, CommandsFollowOnlyTheFilesTheyRead) {
  ASSERT_TRUE(Apply(kControlToml).ok);
  root_.Write("etc/chrony/conf.d/hai.conf", "server elsewhere\n");
  sys_.changes.clear();
  ApplyResult again = Apply(kControlToml);
  ASSERT_TRUE(again.ok);
  EXPECT_TRUE(Ran("systemctl restart chrony.service"));
  EXPECT_FALSE(Ran("udevadm"));
  EXPECT_FALSE(Ran("try-restart")) << "the daemons' files did not change";
  for (const StepOutcome& s : again.steps)
    EXPECT_EQ(s.state,
              s.id == "chrony" ? StepOutcome::State::kChanged : StepOutcome::State::kUnchanged)
        << s.id;

  // A new hai.toml restarts the running daemons.
  root_.Write("etc/hai/hai.toml", "# edited\n");
  sys_.changes.clear();
  ASSERT_TRUE(Apply(kControlToml).ok);
  EXPECT_TRUE(Ran("systemctl try-restart hai-portal.service"));
}

// How to make each step with live actions fail.
struct Failure {
  std::string step;
  std::string read_only;  // a live path that refuses writes
  std::string command;    // or a command that fails
};

class RollbackTest : public ExecutorTest, public ::testing::WithParamInterface<Failure> {};

TEST_P(RollbackTest, AFailureUndoesEveryStepDoneSoFar) {
  const Failure& f = GetParam();
  // Part of the cluster's state existed before: an old table of ours, and
  // one of the units already enabled.
  sys_.nft_table = "table inet hai {\n\tchain input {\n\t}\n}\n";
  sys_.enabled.insert("hai-agent.service");
  const std::string digest = TreeDigest(root_.path());
  const auto live = sys_.live;
  const auto enabled = sys_.enabled;
  const auto active = sys_.active;
  const std::string table = sys_.nft_table;
  if (!f.read_only.empty()) sys_.read_only.insert(f.read_only);
  sys_.fail_when = f.command;

  ApplyResult result = Apply(kIsolating);
  ASSERT_FALSE(result.ok);
  EXPECT_EQ(result.failed_step, f.step);
  EXPECT_TRUE(result.rollback_errors.empty()) << result.rollback_errors.front();
  EXPECT_EQ(TreeDigest(root_.path()), digest) << "every file as it was, no journal left";
  EXPECT_EQ(sys_.live, live) << "every live value as it was";
  EXPECT_EQ(sys_.enabled, enabled);
  EXPECT_EQ(sys_.active, active);
  EXPECT_EQ(sys_.nft_table, table);
  bool reached = false;
  for (const StepOutcome& s : result.steps) {
    if (s.id == f.step) {
      EXPECT_EQ(s.state, StepOutcome::State::kFailed);
      reached = true;
    } else if (!reached) {
      EXPECT_TRUE(s.state == StepOutcome::State::kRolledBack ||
                  s.state == StepOutcome::State::kUnchanged)
          << s.id;
    } else {
      EXPECT_EQ(s.state, StepOutcome::State::kNotRun) << s.id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    EachStep, RollbackTest,
    ::testing::Values(Failure{"sysctl", "/proc/sys/vm/swappiness", ""},
                      Failure{"thp", "/sys/kernel/mm/transparent_hugepage/enabled", ""},
                      Failure{"iosched", "", "udevadm trigger"},
                      Failure{"kernel-args", "", "update-grub"},
                      Failure{"chrony", "", "restart chrony"}, Failure{"firewall", "", "nft -f /"},
                      Failure{"units", "", " start hai.target"}),
    [](const ::testing::TestParamInfo<Failure>& param) {
      std::string name = param.param.step;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

TEST_F(ExecutorTest, RollbackRunsInReverse) {
  sys_.fail_when = " start hai.target";
  ApplyResult result = Apply(kIsolating);
  ASSERT_FALSE(result.ok);
  // Units (last done) first, the firewall after them, the kernel settings last.
  const size_t failed = FindChange(" start hai.target");
  size_t stop = FindChange(" stop hai.target");
  size_t disable = FindChange(" disable hai.target");
  size_t nft = FindChange("nft delete table inet hai");
  size_t chrony = FindChange("systemctl restart chrony.service", failed);
  size_t grub = FindChange("update-grub", failed);
  ASSERT_NE(stop, std::string::npos);
  ASSERT_NE(nft, std::string::npos);
  ASSERT_NE(chrony, std::string::npos) << "chrony re-reads the restored file";
  ASSERT_NE(grub, std::string::npos);
  EXPECT_LT(stop, disable);
  EXPECT_LT(disable, nft);
  EXPECT_LT(nft, chrony);
  EXPECT_LT(chrony, grub);
  EXPECT_NE(result.error.find(" start hai.target"), std::string::npos) << result.error;
}

TEST_F(ExecutorTest, InAContainerKernelSettingsArePersistedOnly) {
  sys_.container = true;
  for (const auto& [path, value] : sys_.live)
    if (path.rfind("/proc/sys/", 0) == 0 || path.rfind("/sys/kernel/", 0) == 0)
      sys_.read_only.insert(path);
  sys_.fail_when = "udevadm";  // no udev inside a container
  ApplyResult result = Apply(kControlToml);
  ASSERT_TRUE(result.ok) << result.failed_step << ": " << result.error;
  const StepOutcome& sysctl = result.steps[0];
  EXPECT_EQ(sysctl.changes, std::vector<std::string>{"create /etc/sysctl.d/90-hai.conf"});
  ASSERT_FALSE(sysctl.notes.empty());
  EXPECT_EQ(sysctl.notes[0].rfind("persisted; not live: container: ", 0), 0u) << sysctl.notes[0];
  EXPECT_EQ(sys_.live["/proc/sys/vm/swappiness"], "60\n");
  EXPECT_TRUE(sys_.enabled.contains("hai-portal.service")) << "systemctl works in a container";

  ApplyResult again = Apply(kControlToml);
  ASSERT_TRUE(again.ok);
  EXPECT_FALSE(again.Changed()) << "what cannot be set live is no change the second time";
}

TEST_F(ExecutorTest, AnInterruptedRunIsPutBackFirst) {
  const std::string digest = TreeDigest(root_.path());
  {
    Journal journal(root_.path());
    ASSERT_TRUE(journal.Record("chrony", "/etc/chrony/chrony.conf").ok());
    ASSERT_TRUE(journal.Record("chrony", "/etc/chrony/conf.d").ok());
    ASSERT_TRUE(journal.Record("chrony", "/etc/chrony/conf.d/hai.conf").ok());
    root_.Write("etc/chrony/chrony.conf", "half-written");
    root_.Write("etc/chrony/conf.d/hai.conf", "server x\n");
    // The process dies here: no Discard.
  }
  ASSERT_NE(TreeDigest(root_.path()), digest);
  Journal next(root_.path());
  std::vector<std::string> errors;
  auto recovered = next.RecoverLeftover(&errors);
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  EXPECT_EQ(*recovered, 3);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(TreeDigest(root_.path()), digest);
}

}  // namespace
}  // namespace hai::install
