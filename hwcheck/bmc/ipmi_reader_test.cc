#include "hwcheck/bmc/ipmi_reader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "hwcheck/bmc/ipmi_testdata.h"

namespace hai::hwcheck::bmc {
namespace {

using std::chrono::milliseconds;
using testing::IpmiFixture;

// Answers ipmitool by the command after its options ("mc info"), and looks at
// the -f password file while the "tool" runs, as ipmitool would.
class ScriptedIpmitool final : public accel::CommandRunner {
 public:
  std::map<std::string, Result<accel::CommandOutput>> answers;
  std::vector<std::vector<std::string>> calls;
  std::string password_seen;
  mode_t password_mode = 0;
  std::string password_path;

  Result<accel::CommandOutput> Run(const std::vector<std::string>& argv, milliseconds) override {
    calls.push_back(argv);
    std::string command;
    for (size_t i = 1; i < argv.size(); ++i) {
      if (argv[i] == "-f" && i + 1 < argv.size()) {
        password_path = argv[i + 1];
        struct stat st {};
        if (stat(password_path.c_str(), &st) == 0) password_mode = st.st_mode & 0777;
        std::ifstream in(password_path);
        std::ostringstream text;
        text << in.rdbuf();
        password_seen = text.str();
        command.clear();
        ++i;
        continue;
      }
      if (!password_path.empty() && argv[i] != "-v")
        command += (command.empty() ? "" : " ") + argv[i];
    }
    auto it = answers.find(command);
    if (it == answers.end()) return Status::Unavailable("ipmitool not found");
    return it->second;
  }

  void Answer(const std::string& command, const std::string& fixture) {
    answers.insert_or_assign(command, accel::CommandOutput{0, IpmiFixture(fixture), ""});
  }
};

BmcTarget Target() {
  BmcTarget t;
  t.scheme = "ipmi";
  t.host = "127.0.0.1";
  t.port = 9623;
  t.user = "admin";
  t.password = "s3cret-Pw";
  return t;
}

void AnswerFaultyBmc(ScriptedIpmitool* tool) {
  tool->Answer("mc info", "mc_info.txt");
  tool->Answer("chassis status", "chassis_status_site.txt");
  tool->Answer("sdr elist", "sdr_elist_faults.txt");
  tool->Answer("sensor list", "sensor_list_faults.txt");
  tool->Answer("sel elist", "sel_elist_faults.txt");
  tool->Answer("fru print", "fru_print.txt");
}

TEST(IpmiReaderTest, BuildsTheSnapshotAndKeepsThePasswordOffTheCommandLine) {
  ScriptedIpmitool tool;
  AnswerFaultyBmc(&tool);
  EvidenceStore evidence("");
  ToolRunner tools(tool, evidence);
  auto snap = ReadIpmiBmc(Target(), tools, milliseconds(10000));
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(snap->source, "ipmi");
  EXPECT_EQ(snap->endpoint, "127.0.0.1:9623");
  EXPECT_EQ(snap->bmc_firmware, "9.08");
  EXPECT_EQ(snap->power_state, "On");
  EXPECT_EQ(snap->serial, "SYS0001");
  EXPECT_EQ(snap->board_serial, "BRD0001");
  EXPECT_EQ(snap->parts.size(), 12u);  // 10 sensors + 2 chassis faults
  EXPECT_EQ(snap->parts.back().name, "Chassis Cooling/Fan Fault");
  EXPECT_EQ(snap->log.size(), 10u);

  ASSERT_EQ(tool.calls.size(), 6u);
  const std::vector<std::string> expected_head = {
      "ipmitool", "-I", "lanplus",   "-C", "3",    "-N", "1",     "-R",
      "1",        "-H", "127.0.0.1", "-p", "9623", "-U", "admin", "-f"};
  for (const auto& argv : tool.calls) {
    EXPECT_EQ(std::vector<std::string>(argv.begin(), argv.begin() + 16), expected_head);
    for (const std::string& word : argv) EXPECT_EQ(word.find("s3cret"), std::string::npos);
  }
  EXPECT_EQ(tool.calls[0].back(), "info");
  EXPECT_EQ(tool.calls[0][17], "-v");  // only the login asks why a session failed
  EXPECT_EQ(tool.password_seen, "s3cret-Pw");
  EXPECT_EQ(tool.password_mode, 0600u);
  EXPECT_NE(access(tool.password_path.c_str(), F_OK), 0) << "password file left behind";
}

TEST(IpmiReaderTest, RefusedLoginStopsAtTheFirstCommand) {
  ScriptedIpmitool tool;
  AnswerFaultyBmc(&tool);
  tool.answers.insert_or_assign(
      "mc info", accel::CommandOutput{1, "",
                                      "Loading IANA PEN Registry...\n> RAKP 2 HMAC is invalid\n"
                                      "Error: Unable to establish IPMI v2 / RMCP+ session\n"});
  EvidenceStore evidence("");
  ToolRunner tools(tool, evidence);
  auto snap = ReadIpmiBmc(Target(), tools, milliseconds(10000));
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().code(), Code::kUnavailable);
  EXPECT_NE(snap.status().message().find("BMC 127.0.0.1:9623 refused the login: RAKP 2 HMAC is "
                                         "invalid"),
            std::string::npos)
      << snap.status().message();
  EXPECT_EQ(tool.calls.size(), 1u);
}

TEST(IpmiReaderTest, TimeoutStopsAtTheFirstCommand) {
  ScriptedIpmitool tool;
  AnswerFaultyBmc(&tool);
  tool.answers.insert_or_assign("mc info",
                                Status::Unavailable("ipmitool … mc info timed out after 4500 ms"));
  EvidenceStore evidence("");
  ToolRunner tools(tool, evidence);
  auto snap = ReadIpmiBmc(Target(), tools, milliseconds(4500));
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().message(), "BMC 127.0.0.1:9623 timed out after 4.5 s (ipmitool mc info)");
  EXPECT_EQ(tool.calls.size(), 1u);
}

TEST(IpmiReaderTest, SilenceIsNoAnswerAndAMidwaySessionLossStopsToo) {
  const accel::CommandOutput silent{1, "",
                                    "Get Auth Capabilities error\nError issuing Get Channel "
                                    "Authentication Capabilities request\nError: Unable to "
                                    "establish IPMI v2 / RMCP+ session\n"};
  ScriptedIpmitool tool;
  AnswerFaultyBmc(&tool);
  tool.answers.insert_or_assign("sdr elist", silent);
  EvidenceStore evidence("");
  ToolRunner tools(tool, evidence);
  auto snap = ReadIpmiBmc(Target(), tools, milliseconds(3000));
  ASSERT_FALSE(snap.ok());
  EXPECT_NE(snap.status().message().find("BMC 127.0.0.1:9623 did not answer (no answer to Get "
                                         "Channel Authentication Capabilities"),
            std::string::npos)
      << snap.status().message();
  EXPECT_EQ(tool.calls.size(), 3u);  // mc info, chassis status, sdr elist
}

TEST(IpmiReaderTest, OptionalCommandsMayFailRequiredOnesMayNot) {
  ScriptedIpmitool tool;
  AnswerFaultyBmc(&tool);
  tool.answers.insert_or_assign("chassis status",
                                accel::CommandOutput{1, "", "Error: Invalid command\n"});
  tool.answers.insert_or_assign("sel elist", accel::CommandOutput{1, "", "SEL error\n"});
  EvidenceStore evidence("");
  ToolRunner tools(tool, evidence);
  auto snap = ReadIpmiBmc(Target(), tools, milliseconds(3000));
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(snap->power_state, "");
  EXPECT_TRUE(snap->log.empty());
  EXPECT_EQ(snap->parts.size(), 10u);

  tool.answers.insert_or_assign("sdr elist",
                                accel::CommandOutput{1, "", "Unable to obtain SDR reservation\n"});
  auto failed = ReadIpmiBmc(Target(), tools, milliseconds(3000));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(),
            "BMC 127.0.0.1:9623: ipmitool sdr elist failed: Unable to obtain SDR reservation");
}

TEST(IpmiReaderTest, MissingIpmitoolIsNotFound) {
  accel::FakeCommandRunner nothing;
  EvidenceStore evidence("");
  ToolRunner tools(nothing, evidence);
  auto snap = ReadIpmiBmc(Target(), tools, milliseconds(3000));
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().code(), Code::kNotFound);
  EXPECT_EQ(snap.status().message(), "ipmitool not found");
}

TEST(IpmiReaderTest, RetriesFitTheTimeout) {
  EXPECT_EQ(IpmiRetryFor(milliseconds(1000)).retries, 1);
  EXPECT_EQ(IpmiRetryFor(milliseconds(5000)).retries, 1);
  EXPECT_EQ(IpmiRetryFor(milliseconds(12000)).retries, 2);  // 2 × 3 s ≤ 6 s
  EXPECT_EQ(IpmiRetryFor(milliseconds(60000)).retries, 3);
  EXPECT_EQ(IpmiRetryFor(milliseconds(60000)).wait_s, 1);
}

}  // namespace
}  // namespace hai::hwcheck::bmc
