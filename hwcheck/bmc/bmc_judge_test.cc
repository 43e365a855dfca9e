#include "hwcheck/bmc/bmc_judge.h"

#include <gtest/gtest.h>

#include <map>

#include "hwcheck/bmc/bmc_readers.h"

namespace hai::hwcheck::bmc {
namespace {

std::map<std::string, CheckItem> ById(const Findings& f) {
  std::map<std::string, CheckItem> out;
  for (const CheckItem& item : f.items) {
    EXPECT_TRUE(out.emplace(item.id, item).second) << "duplicate id " << item.id;
    EXPECT_EQ(item.category, "bmc") << item.id;
    EXPECT_EQ(item.level, Level::kR1) << item.id;
    if (item.status != Verdict::kPass) {
      EXPECT_FALSE(item.reason.empty()) << item.id;
    }
  }
  return out;
}

BmcPart Part(std::string kind, std::string name, PartHealth health, std::string state) {
  BmcPart p;
  p.kind = std::move(kind);
  p.name = std::move(name);
  p.health = health;
  p.state = std::move(state);
  return p;
}

// What ipmitool's sdr/sel/fru/mc info give, in snapshot form: no overall
// health, sensors with readings and thresholds, SEL severities from events.
BmcSnapshot IpmiShaped() {
  BmcSnapshot s;
  s.source = "ipmi";
  s.endpoint = "127.0.0.1:9623";
  s.manufacturer = "Example Servers";
  s.model = "XS-4U8A";
  s.serial = "XS2310A0042";
  s.board_manufacturer = "Example Servers";
  s.board_product = "MB-4U8A";
  s.board_serial = "MB2310B0077";
  s.bmc_firmware = "2.12";
  BmcPart fan1 = Part("fan", "FAN1", PartHealth::kOk, "ok");
  fan1.reading = 5400;
  fan1.unit = "RPM";
  fan1.lower_critical = 600;
  BmcPart fan2 = fan1;
  fan2.name = "FAN2";
  fan2.reading = 300;  // below the critical minimum, though the BMC still says ok
  BmcPart inlet = Part("temperature", "Inlet Temp", PartHealth::kOk, "ok");
  inlet.reading = 47;
  inlet.unit = "C";
  inlet.upper_non_critical = 45;
  inlet.upper_critical = 50;
  BmcPart psu1 = Part("psu", "PS1 Status", PartHealth::kCritical, "cr");
  psu1.detail = "Power Supply AC lost";
  BmcPart psu2 = Part("psu", "PS2 Status", PartHealth::kAbsent, "ns");
  BmcPart dimm = Part("memory", "DIMM B1", PartHealth::kAbsent, "ns");
  BmcPart volt = Part("voltage", "12V", PartHealth::kUnknown, "");
  volt.reading = 12.1;
  volt.unit = "V";
  BmcPart cpu = Part("cpu", "CPU1 Status", PartHealth::kUnknown, "");
  s.parts = {fan1, fan2, inlet, psu1, psu2, dimm, volt, cpu};
  s.log = {{"1", "03/01/2024 09:00:00", "Critical", "Power Supply #0x51", "Power Supply AC lost"},
           {"2", "03/01/2024 09:05:00", "OK", "Fan #0x30", "Fan redundancy regained"}};
  s.redundancy_problems = {"Fans: redundancy degraded"};
  return s;
}

TEST(JudgeBmc, IpmiShapedSnapshot) {
  CheckContext ctx;
  ctx.node = "n1";
  Findings f;
  JudgeBmc(IpmiShaped(), ctx, &f);
  auto items = ById(f);

  EXPECT_EQ(items["bmc.fan.fan1"].status, Verdict::kPass);
  EXPECT_EQ(items["bmc.fan.fan1"].number, 5400);
  EXPECT_EQ(items["bmc.fan.fan2"].status, Verdict::kFail);
  EXPECT_NE(
      items["bmc.fan.fan2"].reason.find("FAN2 at 300 RPM is below its critical minimum 600 RPM"),
      std::string::npos)
      << items["bmc.fan.fan2"].reason;
  EXPECT_EQ(items["bmc.temperature.inlet_temp"].status, Verdict::kWarn);
  EXPECT_NE(
      items["bmc.temperature.inlet_temp"].reason.find("above its non-critical threshold 45 C"),
      std::string::npos);
  EXPECT_NE(items["bmc.temperature.inlet_temp"].threshold.find("<= 50 C (critical)"),
            std::string::npos);
  EXPECT_EQ(items["bmc.psu.ps1_status"].status, Verdict::kFail);
  EXPECT_NE(items["bmc.psu.ps1_status"].reason.find("Power Supply AC lost"), std::string::npos);
  EXPECT_EQ(items["bmc.psu.ps2_status"].status, Verdict::kFail);  // an empty PSU bay
  EXPECT_EQ(items["bmc.psu.ps2_status"].value, "absent");
  EXPECT_EQ(items.count("bmc.memory.dimm_b1"), 0u);  // an empty DIMM slot is no item
  EXPECT_EQ(items["bmc.voltage.12v"].status, Verdict::kSkip);
  EXPECT_EQ(items["bmc.cpu.cpu1_status"].status, Verdict::kSkip);
  EXPECT_NE(items["bmc.cpu.cpu1_status"].reason.find("neither a health nor thresholds"),
            std::string::npos);

  // No rollup over IPMI: the worst part decides, and is named.
  EXPECT_EQ(items["bmc.system_health"].status, Verdict::kFail);
  EXPECT_NE(items["bmc.system_health"].reason.find("bmc.fan.fan2"), std::string::npos);
  EXPECT_EQ(items["bmc.redundancy"].status, Verdict::kFail);
  EXPECT_EQ(items["bmc.redundancy"].value, "Fans: redundancy degraded");
  EXPECT_EQ(items["bmc.sel_critical"].status, Verdict::kFail);
  EXPECT_EQ(items["bmc.sel_critical"].number, 1);
  EXPECT_NE(items["bmc.sel_critical"].reason.find("Power Supply AC lost"), std::string::npos);
  EXPECT_EQ(items["bmc.bios"].status, Verdict::kSkip);

  std::map<std::string, AssetRecord> assets;
  for (const AssetRecord& a : f.assets) assets[a.kind + "/" + a.slot] = a;
  EXPECT_EQ(assets["board/"].serial, "MB2310B0077");
  EXPECT_EQ(assets["board/"].source, "ipmi");
  EXPECT_EQ(assets["board/"].node, "n1");
  EXPECT_EQ(assets["system/"].serial, "XS2310A0042");
  EXPECT_EQ(assets["bmc/"].version, "2.12");
  EXPECT_EQ(assets.count("bios/"), 0u);
  ASSERT_EQ(f.facts.size(), 1u);
  EXPECT_EQ(f.facts[0], (std::pair<std::string, std::string>{"bmc.firmware", "2.12"}));
}

TEST(JudgeBmc, SelCriticalAgainstTheBaselineCount) {
  BmcSnapshot s = IpmiShaped();
  s.log.push_back(
      {"3", "03/02/2024 10:00:00", "critical", "Temp #0x01", "Upper Critical going high"});
  Baseline base;
  CheckItem then;
  then.id = "bmc.sel_critical";
  then.number = 2;
  base.items.emplace(then.id, then);
  CheckContext ctx;
  ctx.baseline = &base;
  {
    Findings f;
    JudgeBmc(s, ctx, &f);
    auto sel = ById(f)["bmc.sel_critical"];
    EXPECT_EQ(sel.status, Verdict::kPass);
    EXPECT_EQ(sel.threshold, "<= 2 (baseline)");
  }
  base.items["bmc.sel_critical"].number = 1;
  Findings f;
  JudgeBmc(s, ctx, &f);
  auto sel = ById(f)["bmc.sel_critical"];
  EXPECT_EQ(sel.status, Verdict::kFail);
  EXPECT_NE(sel.reason.find("1 Critical log entries since the baseline (1 then)"),
            std::string::npos)
      << sel.reason;
  // Newest first in the reason.
  EXPECT_LT(sel.reason.find("Upper Critical going high"), sel.reason.find("Power Supply AC lost"));
}

TEST(JudgeBmc, RedfishHealthWordsAndSummaries) {
  BmcSnapshot s;
  s.source = "redfish";
  s.system_health = "Warning";
  s.bios_version = "6.57.1";
  CheckContext ctx;
  {
    Findings f;
    JudgeBmc(s, ctx, &f);
    auto items = ById(f);
    EXPECT_EQ(items["bmc.system_health"].status, Verdict::kWarn);
    EXPECT_EQ(items["bmc.bios"].status, Verdict::kPass);
    EXPECT_EQ(items["bmc.bios"].value, "6.57.1");
    EXPECT_NE(items["bmc.bios"].reason.find("does not name the BIOS vendor"), std::string::npos);
    EXPECT_EQ(items["bmc.sel_critical"].status, Verdict::kPass);
    EXPECT_EQ(items["bmc.redundancy"].status, Verdict::kPass);
  }
  s.system_health = "OK";
  s.parts.push_back(Part("system", "memory_summary", PartHealth::kCritical, "Enabled, Critical"));
  Findings f;
  JudgeBmc(s, ctx, &f);
  auto items = ById(f);
  EXPECT_EQ(items["bmc.system_health"].status, Verdict::kFail);
  EXPECT_NE(items["bmc.system_health"].reason.find("memory_summary critical"), std::string::npos);
  EXPECT_EQ(items.count("bmc.system.memory_summary"), 0u);
}

TEST(JudgeBmc, PartIdNames) {
  EXPECT_EQ(PartIdName("Inlet Temp"), "inlet_temp");
  EXPECT_EQ(PartIdName(" PS1 Status "), "ps1_status");
  EXPECT_EQ(PartIdName("Disk.Bay.0"), "disk.bay.0");
  EXPECT_EQ(PartIdName("   "), "unnamed");
}

TEST(JudgeBmc, SameNameTwiceGetsTwoIds) {
  BmcSnapshot s;
  s.parts = {Part("fan", "Fan1", PartHealth::kOk, ""),
             Part("fan", "Fan1", PartHealth::kWarning, "")};
  Findings f;
  JudgeBmc(s, CheckContext{}, &f);
  auto items = ById(f);
  EXPECT_EQ(items["bmc.fan.fan1"].status, Verdict::kPass);
  EXPECT_EQ(items["bmc.fan.fan1_2"].status, Verdict::kWarn);
}

}  // namespace
}  // namespace hai::hwcheck::bmc
