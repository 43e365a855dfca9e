// hai-install as an operator runs it, against temporary root directories
// laid out like a freshly installed node (TestRoot).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "installer/hai-install/real_system.h"
#include "installer/hai-install/test_root.h"

namespace hai::install {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  // Writes the install config beside the root (outside it).
  std::string Config(const std::string& toml, const std::string& name = "install.toml") {
    std::string text = toml;
    if (size_t at = text.find("@TOKEN@"); at != std::string::npos)
      text.replace(at, 7, root_.path() + "/../token");
    std::string path = root_.path() + "/../" + name;
    std::ofstream(path) << text;
    return path;
  }

  Outcome Run(std::vector<std::string> args) {
    std::vector<std::string> argv = {std::string(HAI_TEST_BIN_DIR) + "/hai-install"};
    argv.insert(argv.end(), args.begin(), args.end());
    RealSystem system;
    auto result = system.Run(argv);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return {result->exit_code, result->out, result->err};
  }

  Outcome Install(const std::string& config, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"--config", config, "--root", root_.path()};
    args.insert(args.end(), more.begin(), more.end());
    return Run(args);
  }

  mode_t Mode(const std::string& relative) {
    struct stat st;
    EXPECT_EQ(lstat((root_.path() + "/" + relative).c_str(), &st), 0) << relative;
    return st.st_mode & 07777;
  }

  TestRoot root_;
};

TEST_F(CliTest, DryRunPrintsThePlanAndChangesNothing) {
  std::string config = Config(kControlToml);
  const std::string before = TreeDigest(root_.path());
  Outcome human = Install(config, {"--dry-run"});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("[1] sysctl: "), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("create: /etc/hai/hai.toml (file 0640 root:hai)"), std::string::npos);
  EXPECT_NE(human.out.find("(secret, 44 bytes)"), std::string::npos) << "the token is not shown";
  EXPECT_NE(human.out.find("nothing was changed (--dry-run)"), std::string::npos);
  Outcome json = Install(config, {"--dry-run", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto plan = nlohmann::json::parse(json.out);
  EXPECT_EQ(plan["node"], "hai-1");
  EXPECT_EQ(plan["role"], "control");
  ASSERT_EQ(plan["steps"].size(), 11u);
  EXPECT_EQ(plan["steps"][0]["id"], "sysctl");
  EXPECT_EQ(plan["steps"][0]["status"], "change");
  // No accelerator driver in the test root: its group is skipped.
  const auto& groups = plan["steps"][9];
  EXPECT_EQ(groups["id"], "device-groups");
  ASSERT_EQ(groups["actions"].size(), 1u);
  EXPECT_EQ(groups["actions"][0]["state"], "skipped");
  EXPECT_EQ(groups["actions"][0]["note"], "group absent");
  for (const auto& step : plan["steps"]) {
    for (const auto& file : step["files"]) {
      if (file["kind"] == "file" && file["secret"].get<bool>()) {
        EXPECT_FALSE(file.contains("content")) << file["path"];
      }
    }
  }
  EXPECT_EQ(TreeDigest(root_.path()), before);
}

TEST_F(CliTest, ApplyWritesEveryFileThenASecondRunChangesNothing) {
  std::string config = Config(kControlToml);
  Outcome first = Install(config);
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  EXPECT_NE(first.out.find("done\n"), std::string::npos);
  const std::vector<std::pair<std::string, mode_t>> files = {
      {"etc/sysctl.d/90-hai.conf", 0644},
      {"etc/tmpfiles.d/hai-thp.conf", 0644},
      {"etc/udev/rules.d/60-hai-iosched.rules", 0644},
      {"etc/chrony/conf.d/hai.conf", 0644},
      {"etc/nftables.d/hai.nft", 0644},
      {"var/lib/hai", 0700},
      {"var/lib/hai/cluster-token", 0600},
      {"etc/hai", 0750},
      {"etc/hai/tls", 0750},
      {"etc/hai/tls/hai.crt", 0644},
      {"etc/hai/tls/hai.key", 0640},
      {"etc/hai/tls/ca.crt", 0644},
      {"etc/hai/hai.toml", 0640}};
  for (const auto& [path, mode] : files) EXPECT_EQ(Mode(path), mode) << path;
  EXPECT_NE(root_.Read("etc/sysctl.d/90-hai.conf").find("\nvm.swappiness = 10\n"),
            std::string::npos);
  EXPECT_NE(root_.Read("etc/tmpfiles.d/hai-thp.conf")
                .find("w /sys/kernel/mm/transparent_hugepage/enabled - - - - madvise\n"),
            std::string::npos);
  EXPECT_NE(root_.Read("etc/hai/hai.toml").find("[portal]\n"), std::string::npos);
  EXPECT_EQ(root_.Read("var/lib/hai/cluster-token").size(), 44u);
  EXPECT_NE(root_.Read("etc/nftables.conf").find("include \"/etc/nftables.d/*.nft\""),
            std::string::npos);
  EXPECT_FALSE(fs::exists(root_.path() + "/etc/default/grub.d/hai.cfg"));
  EXPECT_FALSE(fs::exists(root_.path() + "/var/lib/hai-install")) << "no journal left";
  // systemctl --root enabled the units: hai.target from multi-user.target, the
  // daemons from hai.target.
  const std::string wants = root_.path() + "/etc/systemd/system/";
  EXPECT_TRUE(fs::is_symlink(wants + "multi-user.target.wants/hai.target"));
  for (const char* unit :
       {"hai-portal.service", "hai-scheduler.service", "hai-agent.service", "hai-gateway.service"})
    EXPECT_TRUE(fs::is_symlink(wants + "hai.target.wants/" + unit)) << unit;
  EXPECT_TRUE(fs::is_symlink(wants + "sysinit.target.wants/nftables.service"));

  const std::string digest = TreeDigest(root_.path());
  Outcome second = Install(config);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("nothing to change: every step is unchanged"), std::string::npos)
      << second.out;
  EXPECT_EQ(TreeDigest(root_.path()), digest);
  Outcome third = Install(config, {"--json"});
  ASSERT_EQ(third.exit_code, 0);
  auto json = nlohmann::json::parse(third.out);
  EXPECT_TRUE(json["ok"].get<bool>());
  EXPECT_FALSE(json["changed"].get<bool>());
  for (const auto& step : json["steps"]) EXPECT_EQ(step["status"], "unchanged") << step["id"];
  EXPECT_EQ(TreeDigest(root_.path()), digest);
}

TEST_F(CliTest, VerifyReportsEveryCheckAndNamesATamperedFile) {
  std::string config = Config(kControlToml);
  ASSERT_EQ(Install(config).exit_code, 0);
  Outcome human = Install(config, {"--verify"});
  ASSERT_EQ(human.exit_code, 0) << human.out;
  EXPECT_EQ(human.out.find("FAIL"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("ok       file:/etc/hai/hai.toml\n"), std::string::npos);
  EXPECT_NE(human.out.find("ok       unit:hai-portal.service:enabled\n"), std::string::npos);
  EXPECT_NE(human.out.find("ok       tls:ca\n"), std::string::npos);
  EXPECT_NE(human.out.find("skipped  sysctl:vm.swappiness: --root\n"), std::string::npos);
  EXPECT_NE(human.out.find(" 0 failed, "), std::string::npos);
  Outcome json = Install(config, {"--verify", "--json"});
  ASSERT_EQ(json.exit_code, 0);
  auto report = nlohmann::json::parse(json.out);
  EXPECT_TRUE(report["ok"].get<bool>());
  for (const auto& c : report["checks"]) EXPECT_NE(c["status"], "fail") << c["id"];

  root_.Write("etc/hai/hai.toml", root_.Read("etc/hai/hai.toml") + "# edited by hand\n");
  chmod((root_.path() + "/etc/hai/tls/hai.key").c_str(), 0644);
  Outcome tampered = Install(config, {"--verify"});
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_NE(tampered.out.find("FAIL     file:/etc/hai/hai.toml: content differs"),
            std::string::npos)
      << tampered.out;
  EXPECT_NE(tampered.out.find("FAIL     file:/etc/hai/tls/hai.key: mode differs"),
            std::string::npos)
      << tampered.out;
  auto failed = nlohmann::json::parse(Install(config, {"--verify", "--json"}).out);
  EXPECT_FALSE(failed["ok"].get<bool>());
  int fails = 0;
  for (const auto& c : failed["checks"])
    if (c["status"] == "fail") ++fails;
  EXPECT_EQ(fails, 2);
}

TEST_F(CliTest, WorkerInstallsTheControlNodesToken) {
  std::string config = Config(kWorkerToml);
  Outcome out = Install(config);
  ASSERT_EQ(out.exit_code, 0) << out.err << out.out;
  EXPECT_EQ(root_.Read("var/lib/hai/cluster-token"), root_.Read("../token"));
  const std::string wants = root_.path() + "/etc/systemd/system/hai.target.wants/";
  EXPECT_TRUE(fs::is_symlink(wants + "hai-agent.service"));
  EXPECT_FALSE(fs::exists(wants + "hai-portal.service"));
  EXPECT_EQ(root_.Read("etc/hai/hai.toml").find("[portal]"), std::string::npos);
  Outcome verify = Install(config, {"--verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST_F(CliTest, AFailureInTheMiddleRollsEverythingBack) {
  // A directory where hai.toml must go: the hai-config step (9th) cannot
  // write it, after eight steps changed files and enabled nftables.service.
  fs::create_directories(root_.path() + "/etc/hai/hai.toml/in-the-way");
  const std::string before = TreeDigest(root_.path());
  Outcome out = Install(Config(kControlToml));
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_NE(out.err.find("step hai-config failed"), std::string::npos) << out.err;
  EXPECT_NE(out.err.find("everything was rolled back"), std::string::npos) << out.err;
  EXPECT_NE(out.out.find("firewall: rolled back"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("units: not run"), std::string::npos) << out.out;
  EXPECT_EQ(TreeDigest(root_.path()), before);
}

TEST_F(CliTest, BadConfigNamesTheKeyAndChangesNothing) {
  const std::string before = TreeDigest(root_.path());
  struct Case {
    std::string toml, words;
  };
  const std::vector<Case> cases = {
      {"[node]\nname = \"hai-1\"\nrole = \"master\"\n", ": node.role: expected \"control\""},
      {std::string(kControlToml) + "[tuning]\nprofile = \"turbo\"\n",
       ": tuning.profile: no profile 'turbo'"},
      {std::string(kControlToml) + "[firewall]\nallow = [\"10.0.0.0/8\"]\n",
       ": firewall.allow: unknown key"},
      {std::string(kControlToml) + "[tls]\nmode = \"provided\"\ncert_file = \"/nonexistent.crt\"\n"
                                   "key_file = \"/nonexistent.key\"\n",
       ": tls.cert_file: cannot read /nonexistent.crt"},
      {"[node]\nname = \"hai-1\"\nrole = \"control\"\n[node.extra]\n", ": node.extra: unknown key"},
  };
  for (const Case& c : cases) {
    std::string config = Config(c.toml, "bad.toml");
    for (const char* mode : {"", "--dry-run", "--verify"}) {
      std::vector<std::string> more;
      if (*mode) more.push_back(mode);
      Outcome out = Install(config, more);
      EXPECT_EQ(out.exit_code, 78) << c.toml << out.err;
      EXPECT_EQ(out.err.rfind("hai-install: " + config + c.words, 0), 0u)
          << "got: " << out.err << "want: " << c.words;
    }
  }
  EXPECT_EQ(TreeDigest(root_.path()), before);
  Outcome missing = Install(root_.path() + "/../absent.toml");
  EXPECT_EQ(missing.exit_code, 78);
  EXPECT_NE(missing.err.find("cannot open"), std::string::npos);
}

TEST_F(CliTest, UsageErrors) {
  EXPECT_EQ(Run({}).exit_code, 2) << "--config is required";
  EXPECT_EQ(Run({"--config", Config(kControlToml), "--bogus"}).exit_code, 2);
  EXPECT_EQ(Install(Config(kControlToml), {"--dry-run", "--verify"}).exit_code, 2);
  EXPECT_EQ(Run({"--config", Config(kControlToml), "--root", "/nonexistent/dir"}).exit_code, 2);
}

TEST_F(CliTest, UnderRootHaiJoinsTheDriversGroupInEtcGroup) {
  root_.Write("etc/group", root_.Read("etc/group") + "HwHiAiUser:x:1000:\n");
  std::string config = Config(kControlToml);
  Outcome applied = Install(config);
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  EXPECT_NE(root_.Read("etc/group").find("\nHwHiAiUser:x:1000:hai\n"), std::string::npos)
      << root_.Read("etc/group");
  Outcome verified = Install(config, {"--verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_NE(verified.out.find("ok       accounts:group:HwHiAiUser\n"), std::string::npos)
      << verified.out;

  std::string group = root_.Read("etc/group");
  group.replace(group.find("HwHiAiUser:x:1000:hai"), 21, "HwHiAiUser:x:1000:");
  root_.Write("etc/group", group);
  Outcome missing = Install(config, {"--verify"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("FAIL     accounts:group:HwHiAiUser"), std::string::npos)
      << missing.out;
}

}  // namespace
}  // namespace hai::install
