// --verify over a node installed through the fake System: all good, then
// each kind of drift named by its check; the report in both forms.
#include "installer/hai-install/verify.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "installer/hai-install/executor.h"
#include "installer/hai-install/fake_system.h"
#include "installer/hai-install/plan_builder.h"
#include "installer/hai-install/test_root.h"
#include "installer/hai-install/verify_report.h"

namespace hai::install {
namespace {

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile = LoadTuningProfile(SourceProfilesDir() + "/tuning", "ascend-inference");
    ASSERT_TRUE(profile.ok());
    sys_.SeedTunableHost(*profile);
    sys_.active.insert("chrony.service");
    Plan plan = MakePlan(toml_);
    RunContext ctx = Context();
    Journal journal(root_.path());
    ApplyResult applied = ApplyPlan(plan, &ctx, &journal);
    ASSERT_TRUE(applied.ok) << applied.error;
  }

  Plan MakePlan(const std::string& toml) { return TestPlan(toml, root_.path(), true); }

  RunContext Context() { return TestContext(&sys_, root_.path(), /*live=*/true); }

  Checks Verify() {
    Plan plan = MakePlan(toml_);
    return VerifyPlan(plan, Context(), Accounts::Load(root_.path()));
  }

  static const Check* Find(const Checks& checks, const std::string& id) {
    for (const Check& c : checks)
      if (c.id == id) return &c;
    return nullptr;
  }
  static std::vector<std::string> Failed(const Checks& checks) {
    std::vector<std::string> ids;
    for (const Check& c : checks)
      if (c.status == CheckStatus::kFail) ids.push_back(c.id);
    return ids;
  }

  std::string toml_ = kControlToml;
  TestRoot root_;
  FakeSystem sys_;
};

TEST_F(VerifyTest, AnInstalledNodePassesEveryCheck) {
  Checks checks = Verify();
  EXPECT_TRUE(AllGood(checks)) << RenderChecksHuman(checks);
  for (const char* id :
       {"file:/etc/hai/hai.toml", "file:/var/lib/hai/cluster-token", "sysctl:vm.swappiness",
        "thp:enabled", "thp:defrag", "iosched:nvme0n1", "iosched:sda", "nft:table inet hai",
        "unit:hai-portal.service:enabled", "unit:hai-portal.service:active", "chrony:tracking",
        "tls:certificate", "tls:names", "tls:key", "tls:ca"}) {
    const Check* c = Find(checks, id);
    ASSERT_TRUE(c) << id;
    EXPECT_EQ(c->status, CheckStatus::kOk) << id << ": " << c->detail;
  }
  EXPECT_FALSE(Find(checks, "iosched:loop0")) << "loop devices are left alone";
}

TEST_F(VerifyTest, DriftIsNamed) {
  sys_.live["/proc/sys/vm/swappiness"] = "60\n";
  sys_.live["/sys/kernel/mm/transparent_hugepage/enabled"] = "[always] madvise never\n";
  sys_.live["/sys/block/nvme0n1/queue/scheduler"] = "none [mq-deadline] kyber\n";
  sys_.active.erase("hai-agent.service");
  sys_.enabled.erase("hai-gateway.service");
  sys_.nft_table = "table inet hai {\n}\n";
  chmod((root_.path() + "/var/lib/hai/cluster-token").c_str(), 0644);
  root_.Write("etc/sysctl.d/90-hai.conf", "vm.swappiness = 60\n");
  Checks checks = Verify();
  EXPECT_FALSE(AllGood(checks));
  std::vector<std::string> failed = Failed(checks);
  std::sort(failed.begin(), failed.end());
  EXPECT_EQ(failed,
            (std::vector<std::string>{
                "file:/etc/sysctl.d/90-hai.conf", "file:/var/lib/hai/cluster-token",
                "iosched:nvme0n1", "nft:table inet hai", "sysctl:vm.swappiness", "thp:enabled",
                "unit:hai-agent.service:active", "unit:hai-gateway.service:enabled"}));
  EXPECT_EQ(Find(checks, "file:/var/lib/hai/cluster-token")->detail, "mode differs");
  EXPECT_EQ(Find(checks, "file:/etc/sysctl.d/90-hai.conf")->detail, "content differs");
  EXPECT_EQ(Find(checks, "sysctl:vm.swappiness")->actual, "60");
  EXPECT_EQ(Find(checks, "thp:enabled")->actual, "always");
  EXPECT_NE(Find(checks, "nft:table inet hai")->detail.find("hai: scheduler"), std::string::npos);
  EXPECT_EQ(Find(checks, "file:/var/lib/hai/cluster-token")->expected.find("sha256"),
            std::string::npos)
      << "no hash of a secret";
}

TEST_F(VerifyTest, InAContainerUnreachableKernelSettingsAreSkipped) {
  sys_.container = true;
  sys_.live["/proc/sys/vm/swappiness"] = "60\n";
  sys_.live.erase("/sys/kernel/mm/transparent_hugepage/enabled");
  Checks checks = Verify();
  EXPECT_TRUE(AllGood(checks)) << RenderChecksHuman(checks);
  EXPECT_EQ(Find(checks, "sysctl:vm.swappiness")->status, CheckStatus::kSkipped);
  EXPECT_EQ(Find(checks, "sysctl:vm.swappiness")->detail, "container");
  EXPECT_EQ(Find(checks, "thp:enabled")->detail, "container");
  EXPECT_EQ(Find(checks, "sysctl:vm.max_map_count")->status, CheckStatus::kOk)
      << "what the container can read and matches is ok";
}

TEST_F(VerifyTest, KernelArgumentsNeedAReboot) {
  toml_ = std::string(kControlToml) + "[tuning]\nisolcpus = \"2-15\"\n";
  Plan plan = MakePlan(toml_);
  RunContext ctx = Context();
  Journal journal(root_.path());
  ASSERT_TRUE(ApplyPlan(plan, &ctx, &journal).ok);
  Checks before = Verify();
  const Check* c = Find(before, "cmdline:isolcpus");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, CheckStatus::kFail);
  EXPECT_NE(c->detail.find("reboot"), std::string::npos);
  sys_.live["/proc/cmdline"] = "BOOT_IMAGE=/vmlinuz ro quiet isolcpus=2-15\n";
  EXPECT_EQ(Find(Verify(), "cmdline:isolcpus")->status, CheckStatus::kOk);
}

TEST_F(VerifyTest, ReportsInBothForms) {
  sys_.live["/proc/sys/vm/swappiness"] = "60\n";
  Checks checks = Verify();
  std::string human = RenderChecksHuman(checks);
  EXPECT_NE(human.find("FAIL     sysctl:vm.swappiness: differs (expected 10; found 60)\n"),
            std::string::npos)
      << human;
  EXPECT_NE(human.find("ok       file:/etc/hai/hai.toml\n"), std::string::npos);
  EXPECT_NE(human.find(" 1 failed, "), std::string::npos);

  auto json = nlohmann::json::parse(RenderChecksJson(checks));
  EXPECT_FALSE(json["ok"].get<bool>());
  ASSERT_EQ(json["checks"].size(), checks.size());
  for (const auto& c : json["checks"]) {
    for (const char* key : {"id", "status", "expected", "actual", "detail"})
      EXPECT_TRUE(c.contains(key)) << key;
    std::string status = c["status"];
    EXPECT_TRUE(status == "ok" || status == "fail" || status == "skipped") << status;
  }
}

}  // namespace
}  // namespace hai::install
