#include "hwcheck/bmc/ipmi_parser.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "hwcheck/bmc/ipmi_sensor_parser.h"
#include "hwcheck/bmc/ipmi_testdata.h"

namespace hai::hwcheck::bmc {
namespace {

using testing::IpmiFixture;

const BmcPart* FindPart(const std::vector<BmcPart>& parts, const std::string& name) {
  auto it =
      std::find_if(parts.begin(), parts.end(), [&](const BmcPart& p) { return p.name == name; });
  return it == parts.end() ? nullptr : &*it;
}

std::vector<BmcPart> Parts(const std::string& sdr, const std::string& sensors,
                           std::vector<std::string>* redundancy = nullptr) {
  return IpmiSensorParts(ParseIpmiSdrElist(IpmiFixture(sdr)),
                         ParseIpmiSensorList(IpmiFixture(sensors)), redundancy);
}

TEST(IpmiMcInfoTest, ReadsFirmwareAndVendor) {
  IpmiMcInfo info = ParseIpmiMcInfo(IpmiFixture("mc_info.txt"));
  EXPECT_EQ(info.firmware, "9.08");
  EXPECT_EQ(info.manufacturer, "MontaVista Software, Inc.");
  EXPECT_EQ(info.product, "Unknown (0xF02)");
  EXPECT_EQ(info.ipmi_version, "2.0");
}

TEST(IpmiChassisTest, HealthyChassisHasNoFaultParts) {
  IpmiChassisStatus s = ParseIpmiChassisStatus(IpmiFixture("chassis_status.txt"));
  EXPECT_EQ(s.power, "Off");
  EXPECT_TRUE(s.faults.empty());
}

TEST(IpmiChassisTest, AssertedFaultsBecomeCriticalParts) {
  IpmiChassisStatus s = ParseIpmiChassisStatus(IpmiFixture("chassis_status_site.txt"));
  EXPECT_EQ(s.power, "On");
  ASSERT_EQ(s.faults.size(), 2u);
  EXPECT_EQ(s.faults[0].kind, "psu");
  EXPECT_EQ(s.faults[0].name, "Chassis Main Power Fault");
  EXPECT_EQ(s.faults[0].health, PartHealth::kCritical);
  EXPECT_EQ(s.faults[1].kind, "fan");
  EXPECT_EQ(s.faults[1].name, "Chassis Cooling/Fan Fault");
}

TEST(IpmiSensorTest, HealthySimulatorSensorsAreOkWithThresholds) {
  std::vector<std::string> redundancy;
  std::vector<BmcPart> parts =
      Parts("sdr_elist_healthy.txt", "sensor_list_healthy.txt", &redundancy);
  ASSERT_EQ(parts.size(), 10u);
  for (const BmcPart& p : parts) EXPECT_EQ(p.health, PartHealth::kOk) << p.name << p.detail;
  EXPECT_TRUE(redundancy.empty());

  const BmcPart* fan = FindPart(parts, "FAN1");
  ASSERT_NE(fan, nullptr);
  EXPECT_EQ(fan->kind, "fan");
  EXPECT_EQ(fan->unit, "RPM");
  EXPECT_DOUBLE_EQ(fan->reading.value(), 8000);
  EXPECT_DOUBLE_EQ(fan->lower_critical.value(), 1000);
  EXPECT_FALSE(fan->upper_critical.has_value());

  const BmcPart* temp = FindPart(parts, "CPU1 Temp");
  ASSERT_NE(temp, nullptr);
  EXPECT_EQ(temp->kind, "temperature");  // a processor entity, but a temperature sensor
  EXPECT_EQ(temp->unit, "C");
  EXPECT_DOUBLE_EQ(temp->reading.value(), 40);
  EXPECT_DOUBLE_EQ(temp->upper_non_critical.value(), 75);
  EXPECT_DOUBLE_EQ(temp->upper_critical.value(), 85);

  const BmcPart* volts = FindPart(parts, "P12V");
  ASSERT_NE(volts, nullptr);
  EXPECT_EQ(volts->kind, "voltage");
  EXPECT_EQ(volts->unit, "V");
  EXPECT_DOUBLE_EQ(volts->lower_critical.value(), 10.8);

  EXPECT_EQ(FindPart(parts, "PSU1 Status")->kind, "psu");
  EXPECT_EQ(FindPart(parts, "PSU2 Status")->state, "ok");
  EXPECT_FALSE(FindPart(parts, "PSU2 Status")->reading.has_value());
  EXPECT_EQ(FindPart(parts, "CPU1 Status")->kind, "cpu");
  EXPECT_EQ(FindPart(parts, "DIMM A1")->kind, "memory");
  EXPECT_EQ(FindPart(parts, "Disk 0")->kind, "disk");
}

TEST(IpmiSensorTest, InjectedFaultsAreCriticalOrWarning) {
  std::vector<BmcPart> parts = Parts("sdr_elist_faults.txt", "sensor_list_faults.txt");
  auto health = [&](const std::string& name) { return FindPart(parts, name)->health; };
  EXPECT_EQ(health("FAN1"), PartHealth::kCritical);
  EXPECT_EQ(FindPart(parts, "FAN1")->state, "lcr");
  EXPECT_DOUBLE_EQ(FindPart(parts, "FAN1")->reading.value(), 800);
  EXPECT_EQ(health("FAN2"), PartHealth::kOk);
  EXPECT_EQ(health("CPU1 Temp"), PartHealth::kCritical);
  EXPECT_EQ(health("Inlet Temp"), PartHealth::kWarning);
  EXPECT_EQ(health("P12V"), PartHealth::kCritical);
  // Discrete sensors say "ok" in the status column; their states decide.
  EXPECT_EQ(health("PSU1 Status"), PartHealth::kOk);
  EXPECT_EQ(health("PSU2 Status"), PartHealth::kCritical);
  EXPECT_EQ(FindPart(parts, "PSU2 Status")->detail, "Failure detected");
  EXPECT_EQ(health("DIMM A1"), PartHealth::kCritical);
  EXPECT_EQ(health("Disk 0"), PartHealth::kCritical);
  EXPECT_EQ(health("CPU1 Status"), PartHealth::kOk);
}

TEST(IpmiSensorTest, SiteLikeSensorsMapKindsAndStates) {
  std::vector<std::string> redundancy;
  std::vector<BmcPart> parts = Parts("sdr_elist_site.txt", "sensor_list_site.txt", &redundancy);
  ASSERT_EQ(parts.size(), 10u);
  EXPECT_EQ(FindPart(parts, "NPU3 Temp")->kind, "temperature");
  EXPECT_EQ(FindPart(parts, "NPU3 Temp")->health, PartHealth::kWarning);
  EXPECT_EQ(FindPart(parts, "FAN3 Speed")->kind, "fan");
  EXPECT_EQ(FindPart(parts, "FAN3 Speed")->unit, "percent");
  EXPECT_EQ(FindPart(parts, "PSU1 Power In")->kind, "psu");
  EXPECT_EQ(FindPart(parts, "PSU1 Power In")->unit, "W");
  EXPECT_EQ(FindPart(parts, "PSU2 Power In")->health, PartHealth::kAbsent);
  EXPECT_FALSE(FindPart(parts, "PSU2 Power In")->reading.has_value());
  EXPECT_EQ(FindPart(parts, "PSU2 Status")->health, PartHealth::kCritical);
  EXPECT_EQ(FindPart(parts, "PSU2 Status")->detail, "Power Supply AC lost");
  EXPECT_EQ(FindPart(parts, "CPU2 Status")->health, PartHealth::kCritical);
  EXPECT_EQ(FindPart(parts, "DIMM B3")->health, PartHealth::kWarning);
  EXPECT_EQ(FindPart(parts, "Disk 5")->health, PartHealth::kWarning);
  EXPECT_EQ(FindPart(parts, "Fan Redundancy")->kind, "fan");
  EXPECT_EQ(FindPart(parts, "Fan Redundancy")->health, PartHealth::kCritical);
  EXPECT_EQ(redundancy, std::vector<std::string>{"Fan Redundancy: Redundancy Lost"});
}

TEST(IpmiSensorTest, ElistAloneStillGivesReadingsAndKinds) {
  // `sensor list` may fail on a BMC; the elist's "40 degrees C" is enough.
  std::vector<BmcPart> parts =
      IpmiSensorParts(ParseIpmiSdrElist(IpmiFixture("sdr_elist_faults.txt")), {}, nullptr);
  const BmcPart* fan = FindPart(parts, "FAN1");
  ASSERT_NE(fan, nullptr);
  EXPECT_EQ(fan->kind, "fan");
  EXPECT_DOUBLE_EQ(fan->reading.value(), 800);
  EXPECT_EQ(fan->health, PartHealth::kCritical);
  EXPECT_EQ(FindPart(parts, "Inlet Temp")->kind, "temperature");
  EXPECT_EQ(FindPart(parts, "PSU2 Status")->health, PartHealth::kCritical);
}

TEST(IpmiSensorTest, StatusWords) {
  EXPECT_EQ(IpmiStatusHealth("ok"), PartHealth::kOk);
  for (const char* s : {"nc", "lnc", "unc"}) EXPECT_EQ(IpmiStatusHealth(s), PartHealth::kWarning);
  for (const char* s : {"cr", "lcr", "ucr", "nr", "lnr", "unr"})
    EXPECT_EQ(IpmiStatusHealth(s), PartHealth::kCritical) << s;
  EXPECT_EQ(IpmiStatusHealth("ns"), PartHealth::kAbsent);
  EXPECT_EQ(IpmiStatusHealth("0x0100"), PartHealth::kUnknown);
  std::string why;
  EXPECT_EQ(IpmiDiscreteHealth("Presence detected", &why), PartHealth::kOk);
  EXPECT_EQ(IpmiDiscreteHealth("Uncorrectable ECC, Correctable ECC", &why), PartHealth::kCritical);
  EXPECT_EQ(why, "Uncorrectable ECC");
  EXPECT_EQ(IpmiDiscreteHealth("Transition to Non-Critical from OK", &why), PartHealth::kWarning);
  EXPECT_EQ(IpmiDiscreteHealth("Transition to Critical from less severe", &why),
            PartHealth::kCritical);
  EXPECT_EQ(IpmiDiscreteHealth("Drive Present, In Critical Array", &why), PartHealth::kWarning);
  EXPECT_EQ(IpmiSensorKind(0x07, "", "Board Status"), "other");
  EXPECT_EQ(IpmiSensorKind(0x0b, "", "NPU5 Health"), "npu");
}

TEST(IpmiSelTest, SimulatorEventsGetSeverities) {
  std::vector<BmcLogEntry> log = ParseIpmiSel(IpmiFixture("sel_elist_faults.txt"));
  ASSERT_EQ(log.size(), 10u);
  EXPECT_EQ(log[0].id, "1");
  EXPECT_EQ(log[0].sensor, "Fan FAN1");
  EXPECT_EQ(log[0].severity, "Warning");   // Lower Non-critical going low
  EXPECT_EQ(log[1].severity, "Critical");  // Lower Critical going low
  EXPECT_EQ(log[1].message, "Lower Critical going low Asserted (Reading 800 < Threshold 1000 RPM)");
  EXPECT_EQ(log[1].created, "Pre-Init 0000056229");
  EXPECT_EQ(log[3].sensor, "Temperature CPU1 Temp");
  EXPECT_EQ(log[3].severity, "Critical");  // Upper Critical going high
  EXPECT_EQ(log[4].severity, "Warning");   // Inlet: Upper Non-critical going high
  EXPECT_EQ(log[5].sensor, "Power Supply PSU2 Status");
  EXPECT_EQ(log[5].severity, "Critical");  // Failure detected
  EXPECT_EQ(log[6].severity, "Critical");  // Uncorrectable ECC
  EXPECT_EQ(log[7].severity, "Critical");  // Drive Fault
  EXPECT_EQ(log[9].id, "a");
}

TEST(IpmiSelTest, DatedSiteEventsAndDeassertions) {
  std::vector<BmcLogEntry> log = ParseIpmiSel(IpmiFixture("sel_elist_site.txt"));
  ASSERT_EQ(log.size(), 8u);
  EXPECT_EQ(log[0].severity, "OK");  // log cleared
  EXPECT_EQ(log[1].created, "03/02/2024 08:15:42");
  EXPECT_EQ(log[1].severity, "Critical");  // AC lost
  EXPECT_EQ(log[2].severity, "OK");        // the same, deasserted: power came back
  EXPECT_EQ(log[3].severity, "Critical");  // Predictive Failure
  EXPECT_EQ(log[4].severity, "Warning");   // Correctable ECC
  EXPECT_EQ(log[5].severity, "Critical");  // IERR
  EXPECT_EQ(log[6].severity, "Critical");  // Redundancy Lost
  EXPECT_EQ(log[7].severity, "OK");        // OEM record
  EXPECT_EQ(log[7].message, "000000000000000000000000");
  EXPECT_TRUE(ParseIpmiSel("").empty());
}

TEST(IpmiFruTest, BuiltinFruGivesSystemIdentity) {
  BmcSnapshot s;
  ApplyIpmiFru(ParseIpmiFru(IpmiFixture("fru_print.txt")), &s);
  EXPECT_EQ(s.manufacturer, "HAI Test Systems");
  EXPECT_EQ(s.model, "HAI-8N");
  EXPECT_EQ(s.serial, "SYS0001");
  EXPECT_EQ(s.part_number, "HAI-8N-A");
  EXPECT_EQ(s.board_manufacturer, "HAI Test Boards");
  EXPECT_EQ(s.board_product, "HT-MB8");
  EXPECT_EQ(s.board_serial, "BRD0001");
  EXPECT_TRUE(s.bios_vendor.empty());  // not an IPMI FRU field
}

TEST(IpmiFruTest, SeveralDevicesAndChassisSerialFallback) {
  std::vector<IpmiFruDevice> fru = ParseIpmiFru(IpmiFixture("fru_print_site.txt"));
  ASSERT_EQ(fru.size(), 3u);
  EXPECT_EQ(fru[1].description, "PSU1 (ID 2)");
  EXPECT_EQ(fru[1].Get("Product Serial"), "PSU-A-0001");
  EXPECT_TRUE(fru[2].fields.empty());  // "Device not present"
  BmcSnapshot s;
  ApplyIpmiFru(fru, &s);
  EXPECT_EQ(s.serial, "SYS0042");

  BmcSnapshot chassis_only;
  ApplyIpmiFru(ParseIpmiFru(" Chassis Serial        : CHS0009\n Board Serial : B9\n"),
               &chassis_only);
  EXPECT_EQ(chassis_only.serial, "CHS0009");
  EXPECT_EQ(chassis_only.board_serial, "B9");
}

}  // namespace
}  // namespace hai::hwcheck::bmc
