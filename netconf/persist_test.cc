#include <gtest/gtest.h>
#include <sys/stat.h>

#include "netconf/persist.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {

using testing::ReadAll;

TEST(PersistTest, WritesUnitAndPlanAndEnablesUnderRoot) {
  testing::TempDir dir;
  accel::FakeCommandRunner runner;
  runner.AddOutput({"systemctl", "--root=" + dir.path(), "enable", "hai-netconf.service"}, "");
  Environment env;
  env.runner = &runner;
  env.root = dir.path();
  std::vector<std::string> actions;
  ASSERT_TRUE(Persist("[roce]\ndscp = 33\n", env, &actions).ok());
  EXPECT_EQ(ReadAll(dir.path() + "/etc/hai/fabric.toml"), "[roce]\ndscp = 33\n");
  struct stat st;
  ASSERT_EQ(stat((dir.path() + "/etc/hai/fabric.toml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  std::string unit = ReadAll(dir.path() + "/etc/systemd/system/hai-netconf.service");
  for (const char* line : {"Type=oneshot\n", "RemainAfterExit=yes\n", "After=network-pre.target\n",
                           "Before=network-online.target hai-agent.service\n",
                           "ExecStart=/usr/bin/hai-netconf apply --plan /etc/hai/fabric.toml\n",
                           "ExecStartPost=/usr/bin/hai-netconf verify --plan /etc/hai/fabric.toml\n",
                           "WantedBy=multi-user.target\n"})
    EXPECT_NE(unit.find(line), std::string::npos) << line;
  EXPECT_EQ(runner.calls(),
            std::vector<std::string>{"systemctl --root=" + dir.path() + " enable hai-netconf.service"});
}

TEST(PersistTest, EnableFailureIsAnError) {
  testing::TempDir dir;
  accel::FakeCommandRunner runner;
  runner.AddOutput({"systemctl", "--root=" + dir.path(), "enable", "hai-netconf.service"}, "", 1,
                   "Failed to enable unit\n");
  Environment env;
  env.runner = &runner;
  env.root = dir.path();
  std::vector<std::string> actions;
  Status st = Persist("x", env, &actions);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("Failed to enable unit"), std::string::npos) << st.message();
}

// The real systemctl, offline against a temporary root, as the installer
// uses it for images.
TEST(PersistTest, RealSystemctlEnablesOffline) {
  if (!std::filesystem::exists("/usr/bin/systemctl") && !std::filesystem::exists("/bin/systemctl"))
    GTEST_SKIP() << "systemctl not installed";
  testing::TempDir dir;
  accel::SubprocessRunner runner;
  Environment env;
  env.runner = &runner;
  env.root = dir.path();
  std::vector<std::string> actions;
  Status st = Persist("[roce]\n", env, &actions);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(std::filesystem::is_symlink(
      dir.path() + "/etc/systemd/system/multi-user.target.wants/hai-netconf.service"));
}

// systemd-analyze verify prints nothing for a good unit (it exits 0 even on
// unknown keys, so any output is a failure), as installer/tests/verify_units.sh.
TEST(PersistTest, UnitPassesSystemdAnalyzeVerify) {
  if (!std::filesystem::exists("/usr/bin/systemd-analyze") &&
      !std::filesystem::exists("/bin/systemd-analyze"))
    GTEST_SKIP() << "systemd-analyze not installed";
  testing::TempDir dir;
  std::string unit = RenderNetconfUnit();
  // verify checks that ExecStart's program exists: point it at one that does.
  for (size_t at = unit.find("/usr/bin/hai-netconf"); at != std::string::npos;
       at = unit.find("/usr/bin/hai-netconf", at))
    unit.replace(at, 20, "/bin/true");
  std::string path = dir.path() + "/hai-netconf.service";
  testing::WriteAll(path, unit);
  accel::SubprocessRunner runner;
  auto out = runner.Run({"systemd-analyze", "verify", "--man=no", path}, std::chrono::seconds(60));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->exit_code, 0) << out->stderr_text;
  EXPECT_EQ(out->stdout_text + out->stderr_text, "");
}

}  // namespace
}  // namespace hai::netconf
