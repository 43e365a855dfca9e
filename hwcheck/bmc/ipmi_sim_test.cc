// ReadIpmiBmc against a live BMC: OpenIPMI's ipmi_sim on loopback
// (ipmi_sim_fixture.h), with faults injected through its console.

#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hwcheck/bmc/bmc_readers.h"
#include "hwcheck/bmc/ipmi_reader.h"
#include "hwcheck/bmc/ipmi_sim_fixture.h"
#include "hwcheck/bmc/ipmi_sim_records.h"
#include "lib/base/test_temp_dir.h"

namespace hai::hwcheck::bmc {
namespace {

using std::chrono::milliseconds;

const BmcPart* FindPart(const BmcSnapshot& s, const std::string& name) {
  auto it = std::find_if(s.parts.begin(), s.parts.end(),
                         [&](const BmcPart& p) { return p.name == name; });
  return it == s.parts.end() ? nullptr : &*it;
}

bool LogHas(const BmcSnapshot& s, const std::string& sensor, const std::string& severity,
            const std::string& words) {
  return std::any_of(s.log.begin(), s.log.end(), [&](const BmcLogEntry& e) {
    return e.sensor == sensor && e.severity == severity &&
           e.message.find(words) != std::string::npos;
  });
}

// A private evidence directory, removed afterwards.
using TempDir = ::hai::test::TempDir;

class IpmiSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string missing = sim::IpmiSim::MissingTools();
    if (!missing.empty()) GTEST_SKIP() << "needs OpenIPMI's ipmi_sim and ipmitool: " << missing;
    sim::IpmiSim::Options options;
    options.password = "Sim-Pw-7731";
    auto started = sim::IpmiSim::Start(options);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    sim_ = std::move(started).value();
  }

  BmcTarget Target(const std::string& password) const {
    BmcTarget t;
    t.scheme = "ipmi";
    t.host = sim_->host();
    t.port = sim_->port();
    t.user = sim_->user();
    t.password = password;
    return t;
  }

  Result<BmcSnapshot> Read(const std::string& password, EvidenceStore& evidence) {
    ToolRunner tools(runner_, evidence);
    return ReadIpmiBmc(Target(password), tools, milliseconds(15000));
  }

  accel::SubprocessRunner runner_;
  std::unique_ptr<sim::IpmiSim> sim_;
};

TEST_F(IpmiSimTest, HealthyBmcReadsAllPartsOkAndFruSerials) {
  TempDir dir;
  EvidenceStore evidence(dir.path());
  auto snap = Read(sim_->password(), evidence);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(snap->endpoint, "127.0.0.1:" + std::to_string(sim_->port()));
  EXPECT_EQ(snap->bmc_firmware, "9.08");
  EXPECT_EQ(snap->power_state, "Off");
  EXPECT_EQ(snap->serial, "SYS0001");
  EXPECT_EQ(snap->board_serial, "BRD0001");
  EXPECT_EQ(snap->manufacturer, "HAI Test Systems");
  EXPECT_EQ(snap->model, "HAI-8N");
  ASSERT_EQ(snap->parts.size(), 10u);
  for (const BmcPart& p : snap->parts)
    EXPECT_EQ(p.health, PartHealth::kOk) << p.name << ": " << p.detail;
  for (const char* fan : {"FAN1", "FAN2"}) {
    ASSERT_NE(FindPart(*snap, fan), nullptr) << fan;
    EXPECT_EQ(FindPart(*snap, fan)->kind, "fan");
    EXPECT_DOUBLE_EQ(FindPart(*snap, fan)->reading.value_or(0), 8000);
  }
  EXPECT_EQ(FindPart(*snap, "PSU1 Status")->kind, "psu");
  EXPECT_EQ(FindPart(*snap, "PSU2 Status")->kind, "psu");
  EXPECT_EQ(FindPart(*snap, "CPU1 Temp")->kind, "temperature");
  EXPECT_DOUBLE_EQ(FindPart(*snap, "CPU1 Temp")->upper_critical.value_or(0), 85);
  EXPECT_TRUE(snap->log.empty());
  EXPECT_TRUE(snap->redundancy_problems.empty());
  EXPECT_EQ(evidence.saved().size(), 6u);

  // Neither the evidence nor anything under the simulator's command lines
  // carries the password.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::ifstream in(entry.path());
    std::ostringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str().find(sim_->password()), std::string::npos) << entry.path();
    EXPECT_EQ(entry.path().filename().string().find(sim_->password()), std::string::npos);
  }
}

TEST_F(IpmiSimTest, InjectedFanPsuAndTemperatureFaultsShowInPartsAndSel) {
  ASSERT_TRUE(sim_->SetSensorValue(0x40, 8).ok());      // FAN1 800 RPM < LC 1000
  ASSERT_TRUE(sim_->SetSensorValue(0x30, 90).ok());     // CPU1 Temp 90 C > UC 85
  ASSERT_TRUE(sim_->SetSensorValue(0x31, 45).ok());     // Inlet 45 C > UNC 42
  ASSERT_TRUE(sim_->SetSensorBit(0x51, 1, true).ok());  // PSU2 failure detected
  EvidenceStore evidence("");
  auto snap = Read(sim_->password(), evidence);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();

  EXPECT_EQ(FindPart(*snap, "FAN1")->health, PartHealth::kCritical);
  EXPECT_DOUBLE_EQ(FindPart(*snap, "FAN1")->reading.value_or(0), 800);
  EXPECT_EQ(FindPart(*snap, "FAN2")->health, PartHealth::kOk);
  EXPECT_EQ(FindPart(*snap, "CPU1 Temp")->health, PartHealth::kCritical);
  EXPECT_EQ(FindPart(*snap, "Inlet Temp")->health, PartHealth::kWarning);
  EXPECT_EQ(FindPart(*snap, "PSU2 Status")->health, PartHealth::kCritical);
  EXPECT_EQ(FindPart(*snap, "PSU2 Status")->detail, "Failure detected");
  EXPECT_EQ(FindPart(*snap, "PSU1 Status")->health, PartHealth::kOk);

  EXPECT_TRUE(LogHas(*snap, "Fan FAN1", "Critical", "Lower Critical going low"));
  EXPECT_TRUE(LogHas(*snap, "Temperature CPU1 Temp", "Critical", "Upper Critical going high"));
  EXPECT_TRUE(LogHas(*snap, "Temperature Inlet Temp", "Warning", "Upper Non-critical"));
  EXPECT_TRUE(LogHas(*snap, "Power Supply PSU2 Status", "Critical", "Failure detected"));
  EXPECT_FALSE(LogHas(*snap, "Temperature Inlet Temp", "Critical", ""));
}

TEST_F(IpmiSimTest, JudgeBmcFailsTheInjectedFanPsuAndTemperature) {
  ASSERT_TRUE(sim_->SetSensorValue(0x40, 8).ok());
  ASSERT_TRUE(sim_->SetSensorValue(0x30, 90).ok());
  ASSERT_TRUE(sim_->SetSensorValue(0x31, 45).ok());
  ASSERT_TRUE(sim_->SetSensorBit(0x51, 1, true).ok());
  EvidenceStore evidence("");
  auto snap = Read(sim_->password(), evidence);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  CheckContext ctx;
  ctx.node = "n1";
  Findings findings;
  JudgeBmc(*snap, ctx, &findings);
  auto status = [&](const std::string& id) {
    for (const CheckItem& item : findings.items)
      if (item.id == id) return std::string(VerdictName(item.status));
    return std::string("missing");
  };
  EXPECT_EQ(status("bmc.fan.fan1"), "FAIL");
  EXPECT_EQ(status("bmc.fan.fan2"), "PASS");
  EXPECT_EQ(status("bmc.psu.psu2_status"), "FAIL");
  EXPECT_EQ(status("bmc.psu.psu1_status"), "PASS");
  EXPECT_EQ(status("bmc.temperature.cpu1_temp"), "FAIL");
  EXPECT_EQ(status("bmc.temperature.inlet_temp"), "WARN");
  EXPECT_EQ(status("bmc.sel_critical"), "FAIL");
  for (const CheckItem& item : findings.items) {
    EXPECT_EQ(item.category, "bmc") << item.id;
    if (item.status != Verdict::kPass) {
      EXPECT_FALSE(item.reason.empty()) << item.id;
    }
  }
}

TEST_F(IpmiSimTest, ConsoleRefusesUnknownCommands) {
  Status s = sim_->Console("no_such_command 1");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("Unknown command"), std::string::npos) << s.message();
}

TEST_F(IpmiSimTest, WrongPasswordIsRefused) {
  TempDir dir;
  EvidenceStore evidence(dir.path());
  auto snap = Read("not-the-password", evidence);
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().code(), Code::kUnavailable);
  EXPECT_NE(snap.status().message().find("BMC 127.0.0.1:" + std::to_string(sim_->port()) +
                                         " refused the login"),
            std::string::npos)
      << snap.status().message();
  EXPECT_NE(snap.status().message().find("RAKP"), std::string::npos) << snap.status().message();
  EXPECT_EQ(evidence.saved().size(), 1u) << "stopped after the first command";
}

TEST(IpmiNoBmcTest, NothingListeningIsUnavailableWithinTheTimeout) {
  if (sim::IpmiSim::MissingTools().find("ipmitool") != std::string::npos)
    GTEST_SKIP() << "ipmitool not found";
  BmcTarget t;
  t.scheme = "ipmi";
  t.host = "127.0.0.1";
  t.port = sim::FreeLoopbackPort(true);
  t.user = "admin";
  t.password = "x";
  accel::SubprocessRunner runner;
  TempDir dir;
  EvidenceStore evidence(dir.path());
  ToolRunner tools(runner, evidence);
  auto snap = ReadIpmiBmc(t, tools, milliseconds(3000));
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().code(), Code::kUnavailable);
  const std::string& why = snap.status().message();
  EXPECT_TRUE(why.find("did not answer") != std::string::npos ||
              why.find("timed out after 3 s") != std::string::npos)
      << why;
  EXPECT_EQ(evidence.saved().size(), 1u) << "stopped after the first command";
}

TEST(IpmiSimRecordsTest, FruAreasAndSdrLengthsAreConsistent) {
  sim::FruIdentity id{.board_serial = "B1", .product_serial = "S1"};
  std::vector<uint8_t> fru = sim::FruImage(id);
  auto sum = [&](size_t from, size_t n) {
    unsigned s = 0;
    for (size_t i = from; i < from + n; ++i) s += fru[i];
    return s & 0xff;
  };
  ASSERT_GE(fru.size(), 8u);
  EXPECT_EQ(sum(0, 8), 0u);                // common header
  for (int area = 2; area <= 4; ++area) {  // chassis, board, product
    const size_t at = fru[static_cast<size_t>(area)] * 8u;
    ASSERT_LT(at + 1, fru.size());
    const size_t len = fru[at + 1] * 8u;
    ASSERT_LE(at + len, fru.size());
    EXPECT_EQ(sum(at, len), 0u) << "area at " << at;
  }
  sim::AnalogSensor fan{.number = 0x40,
                        .entity_id = 0x1d,
                        .sensor_type = 0x04,
                        .name = "FAN1",
                        .base_unit = 18,
                        .m = 100,
                        .thresholds = sim::kLc};
  std::vector<uint8_t> sdr = sim::FullSensorRecord(fan);
  EXPECT_EQ(sdr.size(), 48u + 4u);
  EXPECT_EQ(sdr[4], sdr.size() - 5);
  EXPECT_EQ(sdr[47], 0xc4);  // 8-bit ASCII, 4 characters
  EXPECT_EQ(sim::EventBits(sim::ThresholdEventMask(sim::kLc | sim::kUc)), "000001000000100");
}

}  // namespace
}  // namespace hai::hwcheck::bmc
