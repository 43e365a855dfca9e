#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "hwcheck/baseline.h"
#include "hwcheck/check_command.h"
#include "hwcheck/check_inputs.h"
#include "hwcheck/cli_options.h"
#include "hwcheck/hwcheck_test_util.h"
#include "hwcheck/report_json.h"
#include "lib/accel/fake_command_runner.h"

namespace hai::hwcheck {
namespace {

using testing::ReadText;
using testing::TempDir;
using testing::WriteText;

struct Parsed {
  ParsedCli cli;
  std::string out, err;
};

Parsed Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "hai-hwcheck");
  std::ostringstream out, err;
  Parsed p{ParseCommandLine(static_cast<int>(args.size()), args.data(), out, err), {}, {}};
  p.out = out.str();
  p.err = err.str();
  return p;
}

TEST(CliParseTest, EveryContractFlag) {
  Parsed p = Parse({"--level",
                    "r4",
                    "--profile",
                    "p.toml",
                    "--bmc",
                    "ipmi://a:b@h:623",
                    "--json",
                    "r.json",
                    "--html",
                    "r.html",
                    "--baseline",
                    "b.json",
                    "--bmc-password-file",
                    "pw",
                    "--bmc-ca",
                    "ca.pem",
                    "--evidence-dir",
                    "ev",
                    "--ledger",
                    "l.json",
                    "--node",
                    "n1",
                    "--root",
                    "/tmp",
                    "--peer",
                    "n2=10.0.0.2",
                    "--peer",
                    "n3=10.0.0.3:7200",
                    "--peer-npu-ips",
                    "n2=1.1.1.1,1.1.1.2",
                    "--hostfile",
                    "hf",
                    "--token-file",
                    "tok",
                    "--duration",
                    "30",
                    "--hccn-tool",
                    "/x/hccn_tool",
                    "--ascend-dir",
                    "/x"});
  ASSERT_FALSE(p.cli.exit.has_value()) << p.err;
  const CliOptions& o = p.cli.options;
  EXPECT_EQ(o.command, Command::kCheck);
  EXPECT_EQ(o.level, Level::kR4);
  EXPECT_EQ(o.profile, "p.toml");
  EXPECT_EQ(o.bmc, "ipmi://a:b@h:623");
  EXPECT_EQ(o.json, "r.json");
  EXPECT_EQ(o.html, "r.html");
  EXPECT_EQ(o.baseline, "b.json");
  EXPECT_EQ(o.bmc_password_file, "pw");
  EXPECT_EQ(o.bmc_ca, "ca.pem");
  EXPECT_EQ(o.evidence_dir, "ev");
  EXPECT_EQ(o.ledger, "l.json");
  EXPECT_EQ(o.node, "n1");
  EXPECT_EQ(o.root, "/tmp");
  EXPECT_EQ(o.peers, (std::vector<std::string>{"n2=10.0.0.2", "n3=10.0.0.3:7200"}));
  EXPECT_EQ(o.peer_npu_ips, (std::vector<std::string>{"n2=1.1.1.1,1.1.1.2"}));
  EXPECT_EQ(o.hostfile, "hf");
  EXPECT_EQ(o.token_file, "tok");
  EXPECT_EQ(o.duration_s, 30);
  EXPECT_EQ(o.hccn_tool, "/x/hccn_tool");
  EXPECT_EQ(o.ascend_dir, "/x");
  EXPECT_TRUE(Parse({"--level", "r1", "--bmc", "x", "--bmc-insecure"}).cli.options.bmc_insecure);
}

TEST(CliParseTest, SubcommandsAndHelp) {
  Parsed serve = Parse({"serve", "--listen", "127.0.0.1:7191", "--token-file", "t"});
  ASSERT_FALSE(serve.cli.exit.has_value()) << serve.err;
  EXPECT_EQ(serve.cli.options.command, Command::kServe);
  EXPECT_EQ(serve.cli.options.listen, "127.0.0.1:7191");
  EXPECT_EQ(serve.cli.options.token_file, "t");
  Parsed cluster = Parse({"cluster", "a.json", "b.json", "--json", "c.json"});
  ASSERT_FALSE(cluster.cli.exit.has_value()) << cluster.err;
  EXPECT_EQ(cluster.cli.options.command, Command::kCluster);
  EXPECT_EQ(cluster.cli.options.reports, (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(cluster.cli.options.json, "c.json");
  Parsed help = Parse({"--help"});
  EXPECT_EQ(help.cli.exit, 0);
  EXPECT_NE(help.out.find("--level"), std::string::npos);
}

TEST(CliParseTest, BadUsageIs64NamingTheProblem) {
  struct Case {
    std::vector<const char*> args;
    const char* message;
  } cases[] = {
      {{}, "--level is required"},
      {{"--level", "r5"}, "--level: expected r1, r2, r3 or r4, got \"r5\""},
      {{"--level", "r1", "--frobnicate"}, "--frobnicate"},
      {{"--level", "r1", "--duration", "0"}, "--duration"},
      {{"--level", "r1", "--duration", "ten"}, "--duration"},
      {{"cluster"}, "reports"},
  };
  for (const Case& c : cases) {
    Parsed p = Parse(c.args);
    EXPECT_EQ(p.cli.exit, 64) << c.message;
    EXPECT_NE(p.err.find(c.message), std::string::npos) << "got: " << p.err;
  }
}

TEST(CheckInputsTest, Peers) {
  auto peers = ParsePeers({"n2=10.0.0.2", "n3=host3:7200", "n4=[fd00::4]:7300"},
                          {"n2=192.168.1.1,192.168.1.2"});
  ASSERT_TRUE(peers.ok()) << peers.status().ToString();
  ASSERT_EQ(peers->size(), 3u);
  EXPECT_EQ((*peers)[0].port, kDefaultServePort);
  EXPECT_EQ((*peers)[0].npu_addresses, (std::vector<std::string>{"192.168.1.1", "192.168.1.2"}));
  EXPECT_EQ((*peers)[1].address, "host3");
  EXPECT_EQ((*peers)[1].port, 7200);
  EXPECT_EQ((*peers)[2].address, "fd00::4");
  EXPECT_EQ((*peers)[2].port, 7300);
  struct Case {
    std::vector<std::string> peers, ips;
    const char* message;
  } cases[] = {
      {{"10.0.0.2"}, {}, "--peer 10.0.0.2: expected NAME=HOST[:PORT]"},
      {{"n2=h:0"}, {}, "--peer n2=h:0: port \"0\" is not 1-65535"},
      {{"n2=h:99999"}, {}, "is not 1-65535"},
      {{"n2=h:"}, {}, "port \"\""},
      {{"n2="}, {}, "no host"},
      {{"n2=a", "n2=b"}, {}, "given twice"},
      {{"n2=a"}, {"n3=1.1.1.1"}, "--peer-npu-ips n3=1.1.1.1: no --peer named \"n3\""},
      {{"n2=a"}, {"n2=1.1.1.1,300.1.1.1"}, "\"300.1.1.1\" is not an IPv4 address"},
      {{"n2=a"}, {"n2=1.1.1.1,"}, "\"\" is not an IPv4 address"},
  };
  for (const Case& c : cases) {
    auto r = ParsePeers(c.peers, c.ips);
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << "got: " << r.status().message();
  }
}

TEST(CheckInputsTest, PasswordFileAndEvidenceDir) {
  TempDir dir;
  WriteText(dir.File("pw"), "p@ss:w/rd\n");
  auto url = BmcUrlWithPasswordFile("ipmi://admin:old@10.0.0.9:623", dir.File("pw"));
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(*url, "ipmi://admin:p%40ss%3Aw%2Frd@10.0.0.9:623");
  auto url2 = BmcUrlWithPasswordFile("redfish+https://root@bmc:443/", dir.File("pw"));
  ASSERT_TRUE(url2.ok());
  EXPECT_EQ(*url2, "redfish+https://root:p%40ss%3Aw%2Frd@bmc:443/");
  EXPECT_FALSE(BmcUrlWithPasswordFile("ipmi://bmc:623", dir.File("pw")).ok());
  EXPECT_FALSE(BmcUrlWithPasswordFile("ipmi://a@bmc", dir.File("none")).ok());
  EXPECT_EQ(*BmcUrlWithPasswordFile("ipmi://a:b@bmc", ""), "ipmi://a:b@bmc");

  EXPECT_EQ(DefaultEvidenceDir("/r/n1.json", "/r/n1.html"), "/r/n1.evidence");
  EXPECT_EQ(DefaultEvidenceDir("", "/r/n1.html"), "/r/n1.evidence");
  EXPECT_EQ(DefaultEvidenceDir("", ""), "./hai-hwcheck-evidence");
}

// The check command end to end with test suites: one runs a recorded tool
// through ctx.tools, so its evidence lands next to the report.
class CheckCommandTest : public ::testing::Test {
 protected:
  CheckDeps Deps(Verdict npu_verdict) {
    CheckDeps deps;
    deps.runner = &runner_;
    deps.hostname = "testhost";
    deps.suites = [npu_verdict](const CheckContext& ctx) {
      std::vector<Suite> suites;
      suites.push_back(
          {"npu", [npu_verdict](const CheckContext& c, Findings* out) {
             ToolRun run = c.tools->Run({"npu-smi", "info", "-l"}, std::chrono::seconds(5));
             CheckItem item = Pass("npu.count", Level::kR1, "npu", "== 8", "8");
             item.status = npu_verdict;
             if (npu_verdict != Verdict::kPass) item.reason = "test verdict";
             item.number = 8;
             item.evidence = {run.evidence};
             out->Add(item);
             out->assets.push_back({"", "npu", "0", "Huawei", "Ascend910B3",
                                    "SN-" + std::string(VerdictName(npu_verdict)), "", "npu-smi"});
             out->facts.emplace_back("versions.driver", "24.1.rc2");
           }});
      if (ctx.bmc_url.empty()) suites.push_back(BmcNotGivenSuite());
      return suites;
    };
    deps.validate_bmc_url = [](const std::string& url) {
      return url.rfind("ipmi://", 0) == 0 ? Status::Ok()
                                          : Status::InvalidArgument("unknown scheme");
    };
    return deps;
  }

  int Run(const CliOptions& o, Verdict v) {
    out_.str("");
    err_.str("");
    return RunCheckCommand(o, Deps(v), out_, err_);
  }

  accel::FakeCommandRunner runner_;
  TempDir dir_;
  std::ostringstream out_, err_;
};

TEST_F(CheckCommandTest, WritesReportsEvidenceLedgerAndExitsByWorst) {
  runner_.AddOutput({"npu-smi", "info", "-l"}, "\tTotal Count                    : 8\n");
  CliOptions o;
  o.level = Level::kR1;
  o.json = dir_.File("n1.json");
  o.html = dir_.File("n1.html");
  o.ledger = dir_.File("ledger.json");
  EXPECT_EQ(Run(o, Verdict::kPass), 0) << err_.str();
  EXPECT_NE(out_.str().find("npu.count"), std::string::npos);
  EXPECT_NE(out_.str().find("no --bmc given"), std::string::npos);
  auto report = LoadReportJson(o.json);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->node, "testhost");
  EXPECT_EQ(report->profile, "built-in default");
  EXPECT_EQ(report->evidence_dir, dir_.File("n1.evidence"));
  ASSERT_EQ(report->findings.items.size(), 2u);
  const std::string evidence = report->findings.items[0].evidence.at(0);
  ASSERT_FALSE(evidence.empty());
  EXPECT_NE(ReadText(dir_.File("n1.evidence") + "/" + evidence).find("Total Count"),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(o.html));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("ledger.csv")));
  EXPECT_FALSE(report->ledger_diff.has_value());

  // Second run: the part "changed" (serial follows the verdict), WARN → 1,
  // inspection against the first report, ledger diff in the report.
  CliOptions again = o;
  again.baseline = dir_.File("n1.json");
  again.json = dir_.File("n1-again.json");
  EXPECT_EQ(Run(again, Verdict::kWarn), 1) << err_.str();
  auto second = LoadReportJson(again.json);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(second->inspection.has_value());
  EXPECT_EQ(second->inspection->baseline, dir_.File("n1.json"));
  bool saw_worse = false, saw_serial = false;
  for (const Anomaly& a : second->inspection->anomalies) {
    saw_worse |= a.id == "npu.count";
    saw_serial |= a.id == "asset.npu.0";
  }
  EXPECT_TRUE(saw_worse);
  EXPECT_TRUE(saw_serial);
  ASSERT_TRUE(second->ledger_diff.has_value());
  ASSERT_EQ(second->ledger_diff->changed.size(), 1u);
  EXPECT_EQ(second->ledger_diff->changed[0].fields.at(0).after, "SN-WARN");
  EXPECT_TRUE(std::filesystem::exists(dir_.File("ledger.diff.json")));
  EXPECT_NE(out_.str().find("Asset ledger changes"), std::string::npos);

  CliOptions fail = o;
  fail.json = dir_.File("fail.json");
  fail.ledger.clear();
  EXPECT_EQ(Run(fail, Verdict::kFail), 2);
}

TEST_F(CheckCommandTest, BadInputsAre64BeforeAnythingRuns) {
  TempDir d;
  WriteText(d.File("bad.toml"), "[node]\ncpu_cores = 8\nmemory_mib = 1\n[hwcheck]\nroce = 1\n");
  WriteText(d.File("bad-baseline.json"), "{\"tool\":\"hai-hwcheck\"}");
  WriteText(d.File("pw"), "secret\n");
  struct Case {
    std::function<void(CliOptions&)> set;
    const char* message;
  } cases[] = {
      {[&](CliOptions& o) { o.profile = d.File("bad.toml"); }, "hwcheck.roce: unknown key"},
      {[&](CliOptions& o) { o.profile = d.File("none.toml"); }, "none.toml"},
      {[&](CliOptions& o) { o.baseline = d.File("bad-baseline.json"); }, "--baseline: "},
      {[&](CliOptions& o) { o.peers = {"nohost"}; }, "--peer nohost"},
      {[&](CliOptions& o) { o.bmc_password_file = d.File("pw"); },
       "--bmc-password-file needs --bmc"},
      {[&](CliOptions& o) { o.bmc = "redfish+https://a:b@h"; }, "--bmc: unknown scheme"},
      {[&](CliOptions& o) {
         o.bmc = "ipmi://a@h";
         o.bmc_insecure = true;
       },
       ""},  // accepted by the core (the scheme check is the BMC library's); see below
      {[&](CliOptions& o) { o.root = d.File("no-root"); }, "--root"},
      {[&](CliOptions& o) { o.json = d.File("no/dir/r.json"); }, "--json"},
      {[&](CliOptions& o) { o.hostfile = d.File("none"); }, "--hostfile"},
      {[&](CliOptions& o) { o.bmc_ca = d.File("none.pem"); },
       "--bmc-ca and --bmc-insecure need --bmc"},
  };
  for (const Case& c : cases) {
    CliOptions o;
    o.evidence_dir = d.File("ev");
    c.set(o);
    runner_.AddOutput({"npu-smi", "info", "-l"}, "x");
    const int code = Run(o, Verdict::kPass);
    if (std::string(c.message).empty()) {
      EXPECT_EQ(code, 0) << err_.str();
      continue;
    }
    EXPECT_EQ(code, 64) << c.message;
    EXPECT_NE(err_.str().find(c.message), std::string::npos) << "got: " << err_.str();
    EXPECT_EQ(err_.str().find("secret"), std::string::npos);
  }
}

}  // namespace
}  // namespace hai::hwcheck
