// The generated rulesets checked by nft itself (`nft -c -f`), and NftTable
// loading, checking and undoing the real table, all inside a network
// namespace this test makes: never in the host's own.
#include "installer/hai-install/nft_ruleset.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "installer/hai-install/nft_table.h"
#include "installer/hai-install/real_system.h"
#include "installer/hai-install/test_root.h"
#include "lib/config/config_file.h"

namespace hai::install {
namespace {

// Runs every command inside one network namespace.
class NetnsSystem : public RealSystem {
 public:
  explicit NetnsSystem(std::string ns) : ns_(std::move(ns)) {}
  using System::Run;
  Result<CommandResult> Run(const std::vector<std::string>& argv,
                            const std::string& input) override {
    std::vector<std::string> wrapped = {"ip", "netns", "exec", ns_};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return RealSystem::Run(wrapped, input);
  }

 private:
  std::string ns_;
};

InstallConfig Config(const std::string& toml) {
  auto file = config::File::Parse(toml, "install.toml");
  EXPECT_TRUE(file.ok());
  auto c = ReadInstallConfig(*file, "10.0.0.9");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return *c;
}

class NftTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to make a network namespace";
    ns_ = "hai-inst-" + std::to_string(getpid());
    RealSystem host;
    auto made = host.Run({"ip", "netns", "add", ns_});
    if (!made.ok() || made->exit_code != 0)
      GTEST_SKIP() << "cannot make a network namespace: " << (made.ok() ? made->err : "");
    dir_ = std::filesystem::temp_directory_path() / ns_;
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (ns_.empty()) return;
    RealSystem host;
    (void)host.Run({"ip", "netns", "del", ns_});
    std::filesystem::remove_all(dir_);
  }

  std::string WriteRules(const Ruleset& r, const std::string& name) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << r.text;
    return path;
  }

  std::string ns_;
  std::filesystem::path dir_;
};

TEST_F(NftTest, EveryRulesetPassesNftsCheck) {
  NetnsSystem netns(ns_);
  const std::string worker = std::string(kWorkerToml);
  std::string worker_toml =
      worker.substr(0, worker.find("token_file")) + "token_file = \"/t\"\n[tls]\nmode = \"off\"\n";
  const std::vector<std::string> configs = {
      kControlToml,
      worker_toml,
      std::string(kControlToml) + "[firewall]\nadmin_from = [\"192.168.0.0/16\", \"10.9.9.9\"]\n",
      std::string(kControlToml) +
          "[firewall]\nadmin_from = [\"fd00::/8\", \"172.16.0.0/12\"]\nssh_port = 2222\n",
      "[node]\nname = \"v6\"\nrole = \"control\"\naddress = \"fd00::1\"\n"
      "[cluster]\naddresses = [\"fd00::1\", \"fd00::2\", \"10.0.0.3\"]\n",
  };
  int i = 0;
  for (const std::string& toml : configs) {
    Ruleset rules = RenderRuleset(Config(toml), "# test\n");
    std::string path = WriteRules(rules, "r" + std::to_string(i++) + ".nft");
    auto checked = netns.Run({"nft", "-c", "-f", path});
    ASSERT_TRUE(checked.ok());
    EXPECT_EQ(checked->exit_code, 0) << checked->err << "\n" << rules.text;
  }
}

TEST_F(NftTest, TheTableLoadsChecksAndUndoes) {
  NetnsSystem netns(ns_);
  RunContext ctx;
  ctx.system = &netns;
  Ruleset rules = RenderRuleset(Config(kControlToml), "# test\n");
  std::string path = WriteRules(rules, "hai.nft");

  NftTable table(path, rules.marks, "firewall");
  auto before = table.InPlace(ctx);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(*before) << "nothing loaded yet";
  ASSERT_TRUE(table.Apply(ctx).ok());
  auto after = table.InPlace(ctx);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(*after) << "nft list shows every rule's comment";
  Checks checks;
  table.Verify(ctx, &checks);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status, CheckStatus::kOk) << checks[0].detail;

  // Loading again replaces the table instead of adding to it.
  NftTable again(path, rules.marks, "firewall");
  ASSERT_TRUE(again.Apply(ctx).ok());
  std::optional<std::string> listing = ListHaiTable(ctx);
  ASSERT_TRUE(listing);
  size_t count = 0;
  for (size_t at = listing->find("hai: scheduler"); at != std::string::npos;
       at = listing->find("hai: scheduler", at + 1))
    ++count;
  EXPECT_EQ(count, 1u) << *listing;

  // Rolling back the second load gives the first table back; the first's
  // undo removes the table it made.
  ASSERT_TRUE(again.Undo(ctx).ok());
  EXPECT_TRUE(*table.InPlace(ctx));
  ASSERT_TRUE(table.Undo(ctx).ok());
  EXPECT_FALSE(ListHaiTable(ctx));
}

TEST_F(NftTest, RollbackRestoresATableThatWasThere) {
  NetnsSystem netns(ns_);
  RunContext ctx;
  ctx.system = &netns;
  Ruleset worker = RenderRuleset(
      Config("[node]\nname = \"w\"\nrole = \"worker\"\naddress = \"10.0.0.2\"\n"
             "[cluster]\naddresses = [\"10.0.0.1\", \"10.0.0.2\"]\ntoken_file = \"/t\"\n"
             "[tls]\nmode = \"off\"\n"),
      "# old\n");
  ASSERT_EQ(netns.Run({"nft", "-f", WriteRules(worker, "old.nft")})->exit_code, 0);
  Ruleset control = RenderRuleset(Config(kControlToml), "# new\n");
  NftTable table(WriteRules(control, "new.nft"), control.marks, "firewall");
  ASSERT_TRUE(table.Apply(ctx).ok());
  ASSERT_NE(ListHaiTable(ctx)->find("hai: portal"), std::string::npos);
  ASSERT_TRUE(table.Undo(ctx).ok());
  std::string listing = ListHaiTable(ctx).value_or("");
  EXPECT_EQ(listing.find("hai: portal"), std::string::npos) << listing;
  EXPECT_NE(listing.find("hai: agent"), std::string::npos) << listing;

  NftTableAbsent off;
  EXPECT_FALSE(*off.InPlace(ctx));
  ASSERT_TRUE(off.Apply(ctx).ok());
  EXPECT_FALSE(ListHaiTable(ctx));
  ASSERT_TRUE(off.Undo(ctx).ok());
  EXPECT_TRUE(ListHaiTable(ctx));
}

}  // namespace
}  // namespace hai::install
