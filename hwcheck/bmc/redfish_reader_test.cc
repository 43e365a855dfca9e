// ReadRedfishBmc and RunBmcChecks against a local HTTPS responder serving
// the DMTF-format tree in testdata/redfish/ (127.0.0.1 only).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "hwcheck/bmc/bmc_readers.h"
#include "hwcheck/bmc/redfish_responder.h"
#include "hwcheck/bmc/redfish_session.h"
#include "hwcheck/suites.h"
#include "lib/accel/fake_command_runner.h"
#include "lib/http/test_tls.h"

namespace hai::hwcheck::bmc {
namespace {

namespace fs = std::filesystem;
using testing::RedfishResponder;
using testing::SilentListener;

const std::string kTree = std::string(HAI_REDFISH_TESTDATA) + "/rackmount";
const std::string kSubsystems = std::string(HAI_REDFISH_TESTDATA) + "/subsystems";
constexpr std::chrono::milliseconds kTimeout{5000};
constexpr std::chrono::milliseconds kShortTimeout{300};
const char* kThermal = "/redfish/v1/Chassis/1U/Thermal";
const char* kPower = "/redfish/v1/Chassis/1U/Power";

class RedfishTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/hai-redfish-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = new std::string(dir);
    auto ca = http::testing::TestCa::Create(*dir_ + "/ca");
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_ = new http::testing::TestCa(std::move(*ca));
    ASSERT_TRUE(ca_->Issue("bmc", {"127.0.0.1"}).ok());
    auto other = http::testing::TestCa::Create(*dir_ + "/other");
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(other->Issue("stranger", {"127.0.0.1"}).ok());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete ca_;
    delete dir_;
  }

  void SetUp() override { ASSERT_TRUE(responder_.Load({kTree}).ok()); }

  // Starts the responder with the test CA's certificate (or `stem` from
  // `ca_dir`) and returns a target for it.
  BmcTarget Serve(const std::string& ca_dir = "ca", const std::string& stem = "bmc") {
    std::string base = *dir_ + "/" + ca_dir + "/" + stem;
    EXPECT_TRUE(responder_.Start(base + ".crt", base + ".key").ok());
    return Target(responder_.port());
  }
  BmcTarget Target(int port) const {
    BmcTarget t;
    t.scheme = "redfish+https";
    t.host = "127.0.0.1";
    t.port = port;
    t.user = RedfishResponder::kUser;
    t.password = RedfishResponder::kPassword;
    t.ca_file = ca_->ca_file();
    return t;
  }

  Result<BmcSnapshot> Read(const BmcTarget& t, std::chrono::milliseconds timeout = kTimeout) {
    return ReadRedfishBmc(t, evidence_, timeout);
  }

  // The ids judged worse than PASS, with their verdicts.
  static std::map<std::string, Verdict> NotPassing(const BmcSnapshot& s) {
    Findings f;
    JudgeBmc(s, CheckContext{}, &f);
    std::map<std::string, Verdict> out;
    for (const CheckItem& item : f.items)
      if (item.status != Verdict::kPass) out[item.id] = item.status;
    return out;
  }
  static const CheckItem* Find(const Findings& f, const std::string& id) {
    for (const CheckItem& item : f.items)
      if (item.id == id) return &item;
    return nullptr;
  }

  static std::string* dir_;
  static http::testing::TestCa* ca_;
  RedfishResponder responder_;
  EvidenceStore evidence_{""};
};

std::string* RedfishTest::dir_ = nullptr;
http::testing::TestCa* RedfishTest::ca_ = nullptr;

TEST_F(RedfishTest, HealthyTreeGivesTheSnapshotAndAllPass) {
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->source, "redfish");
  EXPECT_EQ(s->endpoint, "127.0.0.1:" + std::to_string(responder_.port()));
  EXPECT_EQ(s->manufacturer, "Example Servers");
  EXPECT_EQ(s->model, "XS-4U8A");
  EXPECT_EQ(s->serial, "XS2310A0042");
  EXPECT_EQ(s->part_number, "PN-4U8A-0017");
  EXPECT_EQ(s->uuid, "38947555-7742-3448-3784-823347823834");
  EXPECT_EQ(s->bios_version, "6.57.1");
  EXPECT_EQ(s->bios_vendor, "Example Firmware Inc.");  // Bios Attributes.BiosVendor
  EXPECT_EQ(s->board_serial, "MB2310B0077");
  EXPECT_EQ(s->board_product, "XS-4U8A mainboard");
  EXPECT_EQ(s->bmc_firmware, "5.02.11");
  EXPECT_EQ(s->system_health, "OK");
  EXPECT_EQ(s->power_state, "On");
  EXPECT_TRUE(s->redundancy_problems.empty());

  std::map<std::string, BmcPart> parts;
  for (const BmcPart& p : s->parts) parts[p.kind + "/" + p.name] = p;
  std::set<std::string> names;
  for (const auto& [k, p] : parts) names.insert(k);
  EXPECT_EQ(names, (std::set<std::string>{"cpu/CPU1",
                                          "cpu/CPU2",
                                          "npu/NPU1",
                                          "npu/NPU2",
                                          "memory/DIMM000",
                                          "memory/DIMM010",
                                          "memory/DIMM020",
                                          "disk/Disk0",
                                          "disk/Disk1",
                                          "disk/Disk2",
                                          "temperature/Inlet Temp",
                                          "temperature/CPU1 Temp",
                                          "temperature/CPU2 Temp",
                                          "temperature/NPU Board Temp",
                                          "fan/Fan1",
                                          "fan/Fan2",
                                          "fan/Fan3",
                                          "fan/Fan4",
                                          "psu/PSU1",
                                          "psu/PSU2",
                                          "system/processor_summary",
                                          "system/memory_summary"}));
  EXPECT_EQ(parts["memory/DIMM020"].health, PartHealth::kAbsent);
  EXPECT_EQ(parts["memory/DIMM000"].serial, "DM04411A");
  EXPECT_EQ(parts["disk/Disk1"].serial, "SSD18821Q");
  EXPECT_EQ(parts["npu/NPU2"].serial, "NPUSN0027");
  EXPECT_EQ(parts["psu/PSU2"].serial, "PSU2SN7731");
  EXPECT_EQ(parts["psu/PSU2"].reading, 1450);
  EXPECT_EQ(parts["fan/Fan2"].reading, 7300);
  EXPECT_EQ(parts["fan/Fan2"].lower_critical, 1000);
  EXPECT_EQ(parts["temperature/Inlet Temp"].upper_non_critical, 42);
  EXPECT_EQ(parts["temperature/NPU Board Temp"].upper_critical, 88);
  // Both log services, the manager's given inline, oldest first.
  ASSERT_EQ(s->log.size(), 3u);
  EXPECT_EQ(s->log[0].message, "BMC firmware update completed");
  EXPECT_EQ(s->log[2].severity, "Warning");
  EXPECT_EQ(s->log[2].sensor, "Temperature");
  EXPECT_EQ(s->log[2].id, "Log1/2");

  EXPECT_EQ(NotPassing(*s), (std::map<std::string, Verdict>{}));
  Findings f;
  CheckContext ctx;
  ctx.node = "n1";
  JudgeBmc(*s, ctx, &f);
  EXPECT_EQ(f.items.size(),
            22u);  // system, 4 cpu/npu, 2 DIMMs, 2 disks, 4 temps, 4 fans, 2 PSUs, 3
  EXPECT_NE(Find(f, "bmc.disk.disk1"), nullptr);
  EXPECT_EQ(Find(f, "bmc.disk.disk2"), nullptr);  // an empty bay
  EXPECT_EQ(Find(f, "bmc.bios")->value, "Example Firmware Inc. 6.57.1");
  std::set<std::string> assets;
  for (const AssetRecord& a : f.assets) assets.insert(a.kind + "/" + a.slot + "/" + a.serial);
  EXPECT_EQ(assets,
            (std::set<std::string>{"system//XS2310A0042", "bios//", "board//MB2310B0077", "bmc//",
                                   "memory/DIMM000/DM04411A", "memory/DIMM010/DM14411A",
                                   "disk/Disk0/SSD08821Q", "disk/Disk1/SSD18821Q",
                                   "psu/PSU1/PSU1SN7731", "psu/PSU2/PSU2SN7731"}));
}

TEST_F(RedfishTest, FailedFan) {
  auto& fan = responder_.Resource(kThermal)["Fans"][1];
  fan["Reading"] = 0;
  fan["Status"]["Health"] = "Critical";
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(NotPassing(*s), (std::map<std::string, Verdict>{{"bmc.fan.fan2", Verdict::kFail}}));
}

TEST_F(RedfishTest, PsuCritical) {
  responder_.Resource(kPower)["PowerSupplies"][0]["Status"]["Health"] = "Critical";
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(NotPassing(*s), (std::map<std::string, Verdict>{{"bmc.psu.psu1", Verdict::kFail}}));
}

TEST_F(RedfishTest, TemperatureAboveItsThresholds) {
  responder_.Resource(kThermal)["Temperatures"][1]["ReadingCelsius"] = 93;  // CPU1: UC 90
  responder_.Resource(kThermal)["Temperatures"][0]["ReadingCelsius"] = 43;  // Inlet: UNC 42
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(NotPassing(*s),
            (std::map<std::string, Verdict>{{"bmc.temperature.cpu1_temp", Verdict::kFail},
                                            {"bmc.temperature.inlet_temp", Verdict::kWarn}}));
  Findings f;
  JudgeBmc(*s, CheckContext{}, &f);
  EXPECT_EQ(Find(f, "bmc.temperature.cpu1_temp")->reason,
            "CPU1 Temp at 93 C is above its critical threshold 90 C");
  EXPECT_EQ(Find(f, "bmc.temperature.cpu1_temp")->number, 93);
}

TEST_F(RedfishTest, CriticalLogEntry) {
  auto& entry = responder_.Resource("/redfish/v1/Systems/1/LogServices/Log1/Entries/2");
  entry["Severity"] = "Critical";
  entry["Message"] = "CPU1 Temp above upper critical threshold";
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(NotPassing(*s), (std::map<std::string, Verdict>{{"bmc.sel_critical", Verdict::kFail}}));
  Findings f;
  JudgeBmc(*s, CheckContext{}, &f);
  EXPECT_NE(Find(f, "bmc.sel_critical")->reason.find("CPU1 Temp above upper critical threshold"),
            std::string::npos);
}

TEST_F(RedfishTest, LongLogGivenAsLinksKeepsTheNewestEntries) {
  const std::string entries = "/redfish/v1/Systems/1/LogServices/Log1/Entries";
  nlohmann::json& collection = responder_.Resource(entries);
  collection["Members"] = nlohmann::json::array();
  for (int i = 1; i <= 260; ++i) {
    std::string path = entries + "/" + std::to_string(i);
    collection["Members"].push_back({{"@odata.id", path}});
    char created[32];
    std::snprintf(created, sizeof created, "2024-03-%02dT%02d:%02d:00+08:00", 1 + i / 100,
                  (i / 60) % 24, i % 60);
    responder_.Resource(path) = {{"@odata.id", path},
                                 {"Id", std::to_string(i)},
                                 {"Severity", i == 3 || i == 250 ? "Critical" : "OK"},
                                 {"Created", created},
                                 {"Message", "entry " + std::to_string(i)}};
  }
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->log.size(), 201u);  // the newest 200 linked + the manager's inline one
  EXPECT_EQ(s->log.back().message, "entry 260");
  size_t critical = 0;
  for (const BmcLogEntry& e : s->log) critical += e.severity == "Critical";
  EXPECT_EQ(critical, 1u);  // entry 250; entry 3 is older than the newest 200
}

TEST_F(RedfishTest, RedundancyLost) {
  responder_.Resource(kPower)["Redundancy"][0]["Status"]["Health"] = "Critical";
  responder_.Resource(kThermal)["Redundancy"][0]["Status"]["Health"] = "Warning";
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->redundancy_problems,
            (std::vector<std::string>{"Fans: BaseBoard System Fans (N+m) Warning",
                                      "Power supplies: PSU Redundancy (N+m) Critical"}));
  EXPECT_EQ(NotPassing(*s), (std::map<std::string, Verdict>{{"bmc.redundancy", Verdict::kFail}}));
}

TEST_F(RedfishTest, SubsystemsVariantHealthy) {
  ASSERT_TRUE(responder_.Load({kSubsystems}).ok());
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::set<std::string> names;
  for (const BmcPart& p : s->parts)
    if (p.kind == "fan" || p.kind == "psu" || p.kind == "temperature")
      names.insert(p.kind + "/" + p.name);
  EXPECT_EQ(names,
            (std::set<std::string>{"fan/Fan1", "fan/Fan2", "fan/Fan3", "fan/Fan4", "psu/Bay1",
                                   "psu/Bay2", "temperature/Inlet Temp", "temperature/CPU1 Temp"}));
  for (const BmcPart& p : s->parts) {
    if (p.name == "Fan3") {
      EXPECT_EQ(p.reading, 7400);
    }
    if (p.name == "CPU1 Temp") {
      EXPECT_EQ(p.upper_critical, 90);
    }
  }
  EXPECT_EQ(NotPassing(*s), (std::map<std::string, Verdict>{}));
}

TEST_F(RedfishTest, SubsystemsVariantFaults) {
  ASSERT_TRUE(responder_.Load({kSubsystems}).ok());
  const std::string c = "/redfish/v1/Chassis/1U";
  responder_.Resource(c + "/ThermalSubsystem/Fans/Fan3")["Status"]["Health"] = "Critical";
  responder_.Resource(c + "/PowerSubsystem/PowerSupplies/Bay2")["Status"] = {{"State", "Absent"}};
  responder_.Resource(c + "/PowerSubsystem")["PowerSupplyRedundancy"][0]["Status"]["Health"] =
      "Critical";
  responder_.Resource(c + "/Sensors/InletTemp")["Reading"] = 44;
  auto s = Read(Serve());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(NotPassing(*s),
            (std::map<std::string, Verdict>{{"bmc.fan.fan3", Verdict::kFail},
                                            {"bmc.psu.bay2", Verdict::kFail},
                                            {"bmc.redundancy", Verdict::kFail},
                                            {"bmc.temperature.inlet_temp", Verdict::kWarn}}));
}

TEST_F(RedfishTest, WrongPasswordIsRefused) {
  BmcTarget t = Serve();
  t.password = "wrong";
  auto s = Read(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kUnavailable);
  EXPECT_NE(s.status().message().find("refused the login (HTTP 401"), std::string::npos)
      << s.status().message();
}

TEST_F(RedfishTest, SilentServerTimesOut) {
  SilentListener silent;
  ASSERT_NE(silent.port(), 0);
  for (const char* scheme : {"redfish+https", "redfish+http"}) {
    BmcTarget t = Target(silent.port());
    t.scheme = scheme;
    auto s = Read(t, kShortTimeout);
    ASSERT_FALSE(s.ok()) << scheme;
    EXPECT_EQ(s.status().code(), Code::kUnavailable);
    EXPECT_NE(s.status().message().find("timed out"), std::string::npos)
        << scheme << ": " << s.status().message();
  }
}

TEST_F(RedfishTest, CertificateFromAnotherCaIsRejectedUnlessInsecure) {
  BmcTarget t = Serve("other", "stranger");
  auto s = Read(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kUnavailable);
  EXPECT_NE(s.status().message().find("certificate"), std::string::npos) << s.status().message();
  t.insecure = true;
  auto insecure = Read(t);
  ASSERT_TRUE(insecure.ok()) << insecure.status().ToString();
  EXPECT_EQ(insecure->serial, "XS2310A0042");
}

TEST_F(RedfishTest, TooManyResourcesStops) {
  BmcTarget t = Serve();
  RedfishSession session(t, evidence_, kTimeout, RedfishSession::Limits{3, 1 << 20, 40});
  for (const char* path : {"/redfish/v1", "/redfish/v1/Systems", "/redfish/v1/Systems/1"})
    ASSERT_TRUE(session.Get(path).ok()) << path;
  auto fourth = session.Get("/redfish/v1/Chassis");
  ASSERT_FALSE(fourth.ok());
  EXPECT_NE(fourth.status().message().find("stopped after 3 Redfish resources"), std::string::npos);
  RedfishSession small(t, evidence_, kTimeout, RedfishSession::Limits{10, 100, 40});
  auto big = small.Get("/redfish/v1/Systems/1");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("is larger than"), std::string::npos);
  EXPECT_EQ(session.Get("/redfish/v1/Nothing").ok(), false);
}

TEST(RedfishBase64, Rfc4648Vectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64("admin:s3cret"), "YWRtaW46czNjcmV0");
}

// RunBmcChecks end to end: the --bmc URL (percent-encoded password), the CA
// from --bmc-ca, evidence without credentials.
class RunBmcChecksTest : public RedfishTest {
 protected:
  void SetUp() override {
    RedfishTest::SetUp();
    evidence_dir_ =
        *dir_ + "/evidence-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  Findings Run(const std::string& url) {
    accel::FakeCommandRunner runner;
    EvidenceStore store(evidence_dir_);
    ToolRunner tools(runner, store);
    CheckContext ctx;
    ctx.node = "n1";
    ctx.tools = &tools;
    ctx.bmc_url = url;
    ctx.bmc_ca_file = ca_->ca_file();
    Findings f;
    RunBmcChecks(ctx, &f);
    return f;
  }
  std::string Url(const std::string& password) const {
    return "redfish+https://admin:" + password + "@127.0.0.1:" + std::to_string(responder_.port());
  }
  std::string evidence_dir_;
};

TEST_F(RunBmcChecksTest, ReachableThenJudgedWithEvidence) {
  Serve();
  Findings f = Run(Url("s3cret%3A%40%25"));
  ASSERT_FALSE(f.items.empty());
  const CheckItem& reachable = f.items[0];
  EXPECT_EQ(reachable.id, "bmc.reachable");
  EXPECT_EQ(reachable.status, Verdict::kPass) << reachable.reason;
  EXPECT_GT(reachable.evidence.size(), 30u);
  EXPECT_EQ(f.items.size(), 23u);
  const CheckItem* fan = Find(f, "bmc.fan.fan1");
  ASSERT_NE(fan, nullptr);
  EXPECT_EQ(fan->evidence, (std::vector<std::string>{"redfish_v1_Chassis_1U_Thermal.txt"}));
  EXPECT_EQ(Find(f, "bmc.system_health")->evidence,
            (std::vector<std::string>{"redfish_v1_Systems_1.txt"}));
  // Every answer is kept, and no credential with it.
  std::string secret_b64 = Base64(std::string("admin:") + RedfishResponder::kPassword);
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(evidence_dir_)) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str().find("s3cret"), std::string::npos) << entry.path();
    EXPECT_EQ(text.str().find(secret_b64), std::string::npos) << entry.path();
    EXPECT_EQ(text.str().find("Authorization"), std::string::npos) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, reachable.evidence.size());
  bool firmware = false;
  for (const auto& [name, value] : f.facts)
    firmware |= name == "bmc.firmware" && value == "5.02.11";
  EXPECT_TRUE(firmware);
}

TEST_F(RunBmcChecksTest, RefusedLoginIsOneFailAndNothingElse) {
  Serve();
  Findings f = Run(Url("wrong"));
  ASSERT_EQ(f.items.size(), 1u);
  EXPECT_EQ(f.items[0].id, "bmc.reachable");
  EXPECT_EQ(f.items[0].status, Verdict::kFail);
  EXPECT_NE(f.items[0].reason.find("refused the login"), std::string::npos) << f.items[0].reason;
  EXPECT_TRUE(f.assets.empty());
}

TEST_F(RunBmcChecksTest, BadUrlIsOneFailNamingThePart) {
  Findings f = Run("redfish://admin:x@127.0.0.1");
  ASSERT_EQ(f.items.size(), 1u);
  EXPECT_EQ(f.items[0].status, Verdict::kFail);
  EXPECT_EQ(f.items[0].reason, "--bmc: unknown scheme 'redfish' (ipmi://, redfish+https://)");
  EXPECT_TRUE(Run("").items.empty());
}

}  // namespace
}  // namespace hai::hwcheck::bmc
