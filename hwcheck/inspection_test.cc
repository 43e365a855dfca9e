#include "hwcheck/inspection.h"

#include <gtest/gtest.h>

#include "hwcheck/hwcheck_test_util.h"

namespace hai::hwcheck {
namespace {

using testing::WithNumber;

Baseline MakeBaseline(const Findings& f) {
  Baseline b;
  b.path = "acceptance.json";
  for (const CheckItem& i : f.items) b.items[i.id] = i;
  b.assets = f.assets;
  for (const auto& [k, v] : f.facts) b.facts[k] = v;
  return b;
}

const Anomaly* Find(const Inspection& in, const std::string& id) {
  for (const Anomaly& a : in.anomalies)
    if (a.id == id) return &a;
  return nullptr;
}

// One item per rule family, passing at acceptance and worse now.
TEST(InspectionTest, RiskForEachRuleFamily) {
  Findings then, now;
  auto both = [&](CheckItem before, CheckItem after) {
    then.Add(std::move(before));
    now.Add(std::move(after));
  };
  const Level r1 = Level::kR1;
  both(WithNumber(Pass("npu.ecc_double.0", r1, "npu", "== 0", "0"), 0),
       WithNumber(Fail("npu.ecc_double.0", r1, "npu", "== 0", "2", "double-bit"), 2));
  both(Pass("npu.health.1", r1, "npu", "== OK", "OK"),
       Fail("npu.health.1", r1, "npu", "== OK", "Alarm", "Alarm"));
  both(Pass("npu.health.2", r1, "npu", "== OK", "OK"),
       Warn("npu.health.2", r1, "npu", "== OK", "Warning", "Warning"));
  both(Pass("host.smart.sda", r1, "host", "PASSED", "PASSED"),
       Fail("host.smart.sda", r1, "host", "PASSED", "FAILED", "smart"));
  both(WithNumber(Pass("host.edac.ue", r1, "host", "== 0", "0"), 0),
       WithNumber(Fail("host.edac.ue", r1, "host", "== 0", "1", "ue"), 1));
  both(Pass("bmc.fan.fan1", r1, "bmc", "ok", "ok"),
       Fail("bmc.fan.fan1", r1, "bmc", "ok", "cr", "x"));
  both(Pass("bmc.psu.psu2", r1, "bmc", "ok", "ok"),
       Fail("bmc.psu.psu2", r1, "bmc", "ok", "x", "x"));
  both(WithNumber(Pass("npu_nic.link_flaps.0", r1, "npu_nic", "", "0"), 0),
       WithNumber(Pass("npu_nic.link_flaps.0", r1, "npu_nic", "", "3"), 3));
  both(Pass("bmc.temperature.inlet_temp", r1, "bmc", "<= 40", "25"),
       Warn("bmc.temperature.inlet_temp", r1, "bmc", "<= 40", "45", "hot"));
  both(WithNumber(Pass("npu.h2d_bw.0", Level::kR2, "npu", "", "24 GB/s"), 24),
       WithNumber(Pass("npu.h2d_bw.0", Level::kR2, "npu", "", "20 GB/s"), 20));
  both(WithNumber(Pass("npu.d2d_bw.0", Level::kR2, "npu", "", "1000 GB/s"), 1000),
       WithNumber(Pass("npu.d2d_bw.0", Level::kR2, "npu", "", "950 GB/s"), 950));  // within 10 %
  both(WithNumber(Pass("npu.ecc_single.4", r1, "npu", "", "1"), 1),
       WithNumber(Pass("npu.ecc_single.4", r1, "npu", "", "5"), 5));
  both(Pass("npu_nic.optical.2", r1, "npu_nic", "", "ok"),
       Warn("npu_nic.optical.2", r1, "npu_nic", "", "drift", "rx power low"));
  both(Pass("host.kernel.thp", r1, "host", "madvise", "madvise"),
       Fail("host.kernel.thp", r1, "host", "madvise", "never", "wrong"));
  both(Pass("host.ntp.sync", r1, "host", "", "yes"),
       Warn("host.ntp.sync", r1, "host", "", "no", "x"));
  both(Warn("npu.health.7", r1, "npu", "", "Warning", "was already"),
       Warn("npu.health.7", r1, "npu", "", "Warning", "still"));  // not worse: no anomaly
  now.Add(Skip("npu.fp16_tflops.0", Level::kR3, "npu", "ascend-dmi not found"));
  then.facts = {{"versions.driver", "24.1.rc1"}, {"bmc.bios_version", "1.0"}};
  now.facts = {{"versions.driver", "24.1.rc2"}, {"bmc.bios_version", "1.0"}};
  then.assets = {{"n1", "npu", "3", "", "", "OLD", "", "npu-smi"}};
  now.assets = {{"n1", "npu", "3", "", "", "NEW", "", "npu-smi"}};

  Inspection in = Inspect(now, MakeBaseline(then));
  EXPECT_EQ(in.baseline, "acceptance.json");
  struct Want {
    const char* id;
    Risk risk;
  } wants[] = {
      {"npu.ecc_double.0", Risk::kHigh},
      {"npu.health.1", Risk::kHigh},
      {"host.smart.sda", Risk::kHigh},
      {"host.edac.ue", Risk::kHigh},
      {"bmc.fan.fan1", Risk::kHigh},
      {"bmc.psu.psu2", Risk::kHigh},
      {"npu.health.2", Risk::kMedium},
      {"npu_nic.link_flaps.0", Risk::kMedium},
      {"bmc.temperature.inlet_temp", Risk::kMedium},
      {"npu.h2d_bw.0", Risk::kMedium},
      {"host.kernel.thp", Risk::kMedium},
      {"npu.ecc_single.4", Risk::kLow},
      {"npu_nic.optical.2", Risk::kLow},
      {"versions.driver", Risk::kLow},
      {"asset.npu.3", Risk::kLow},
      {"host.ntp.sync", Risk::kLow},
  };
  for (const Want& w : wants) {
    const Anomaly* a = Find(in, w.id);
    ASSERT_NE(a, nullptr) << w.id;
    EXPECT_EQ(a->risk, w.risk) << w.id;
    EXPECT_FALSE(a->remediation.empty()) << w.id;
    EXPECT_FALSE(a->remediation_zh.empty()) << w.id;
    EXPECT_FALSE(a->reason.empty()) << w.id;
  }
  EXPECT_EQ(in.anomalies.size(), std::size(wants));
  EXPECT_EQ(Find(in, "npu.d2d_bw.0"), nullptr);
  EXPECT_EQ(Find(in, "npu.health.7"), nullptr);
  EXPECT_EQ(Find(in, "npu.fp16_tflops.0"), nullptr);
  EXPECT_EQ(Find(in, "bmc.bios_version"), nullptr);
  const Anomaly* h2d = Find(in, "npu.h2d_bw.0");
  EXPECT_EQ(h2d->baseline_value, "24 GB/s");
  EXPECT_EQ(h2d->value, "20 GB/s");
  EXPECT_NE(h2d->reason.find("17 %"), std::string::npos) << h2d->reason;
  EXPECT_EQ(Find(in, "versions.driver")->baseline_value, "24.1.rc1");
  EXPECT_EQ(Find(in, "asset.npu.3")->value, "NEW");
  EXPECT_NE(Find(in, "npu.ecc_double.0")->remediation.find("replace"), std::string::npos);

  // Deterministic order: high, medium, low; by id within each.
  for (size_t i = 1; i < in.anomalies.size(); ++i) {
    const Anomaly& a = in.anomalies[i - 1];
    const Anomaly& b = in.anomalies[i];
    EXPECT_TRUE(a.risk < b.risk || (a.risk == b.risk && a.id < b.id)) << a.id << " / " << b.id;
  }
}

TEST(InspectionTest, NewFailureWithoutBaselineItemIsAnAnomaly) {
  Findings then, now;
  now.Add(Fail("npu_nic.cw_uncorrect.5", Level::kR1, "npu_nic", "== 0", "12", "uncorrectable"));
  Inspection in = Inspect(now, MakeBaseline(then));
  ASSERT_EQ(in.anomalies.size(), 1u);
  EXPECT_EQ(in.anomalies[0].risk, Risk::kMedium);
  EXPECT_EQ(in.anomalies[0].baseline_value, "(not in the baseline)");
}

TEST(InspectionTest, RiskTableDirectly) {
  EXPECT_EQ(ClassifyAnomaly("npu.health.0", Change::kWorse, Verdict::kFail).risk, Risk::kHigh);
  EXPECT_EQ(ClassifyAnomaly("npu.health.0", Change::kWorse, Verdict::kWarn).risk, Risk::kMedium);
  EXPECT_EQ(ClassifyAnomaly("roce.errors.3", Change::kNumberUp, Verdict::kPass).risk,
            Risk::kMedium);
  EXPECT_EQ(ClassifyAnomaly("bmc.sel_critical", Change::kWorse, Verdict::kFail).risk,
            Risk::kMedium);
  EXPECT_EQ(ClassifyAnomaly("tcp.pair.n2", Change::kNumberDown, Verdict::kPass).risk,
            Risk::kMedium);
  EXPECT_EQ(ClassifyAnomaly("host.edac.ce", Change::kNumberUp, Verdict::kPass).risk, Risk::kLow);
  EXPECT_EQ(ClassifyAnomaly("bmc.bios_version", Change::kFactChanged, Verdict::kPass).risk,
            Risk::kLow);
  EXPECT_TRUE(IsGrowthCounter("host.smart_realloc.sda"));
  EXPECT_FALSE(IsGrowthCounter("npu.h2d_bw.0"));
  EXPECT_TRUE(IsPerformanceNumber("roce.pair.0.n2"));
  EXPECT_FALSE(IsPerformanceNumber("npu.count"));
  EXPECT_EQ(ParseRisk(RiskName(Risk::kMedium)), Risk::kMedium);
  EXPECT_EQ(ParseRisk("severe"), std::nullopt);
}

}  // namespace
}  // namespace hai::hwcheck
