// r2 host↔device and on-device bandwidth, r3 fp16 compute, with ascend-dmi
// (reference/appliance-hw.md §1.5, §8 r2/r3). Exact argv, as FlagPerf runs them:
//   ascend-dmi --bw -t h2d -s 536870912 --et 50 -q
//   ascend-dmi --bw -t d2d -q
//   ascend-dmi -f -t fp16 -q
// Each run covers the whole node; rows are matched to NPUs by the table's
// device column (the logic id).
#include "hwcheck/ascend/dmi_result.h"
#include "hwcheck/ascend/judge.h"
#include "hwcheck/ascend/npu_check_steps.h"

namespace hai::hwcheck::ascend {
namespace {

constexpr const char* kCategory = "npu";
constexpr std::chrono::seconds kDmiTimeout{300};

struct DmiTest {
  std::string id_prefix;  // "npu.h2d_bw."
  Level level;
  std::vector<std::string> argv;
  Result<std::vector<DmiValue>> (*parse)(std::string_view);
  std::string unit;
  AtLeastRule rule;
  std::string what;
};

void RunTest(const CheckContext& ctx, const NpuRoster& roster, const DmiTest& test, Findings* out) {
  ToolRun run = ctx.tools->Run(test.argv, kDmiTimeout);
  Result<std::vector<DmiValue>> rows =
      run.ok() ? test.parse(run.text()) : Result<std::vector<DmiValue>>(Status::Internal(""));
  std::vector<DmiValue> best = rows.ok() ? BestPerDevice(*rows) : std::vector<DmiValue>{};
  for (const NpuChip& chip : roster.chips) {
    std::string id = test.id_prefix + std::to_string(chip.logic_id);
    if (!run.ok()) {
      out->Add(ToolProblem(id, test.level, kCategory, run));
      continue;
    }
    if (!rows.ok()) {
      out->Add(WithEvidence(Fail(id, test.level, kCategory, "", "", rows.status().message()), run));
      continue;
    }
    const DmiValue* found = nullptr;
    for (const DmiValue& v : best)
      if (v.device == chip.logic_id) found = &v;
    if (!found) {
      out->Add(WithEvidence(
          Fail(id, test.level, kCategory, "", "",
               "ascend-dmi printed no result for NPU " + std::to_string(chip.logic_id) + "."),
          run));
      continue;
    }
    out->Add(WithEvidence(
        JudgeAtLeast(ctx, id, test.level, kCategory, found->value, test.unit, test.rule, test.what),
        run));
  }
}

}  // namespace

void AddDmiChecks(const CheckContext& ctx, const NpuRoster& roster, Findings* out) {
  const HwProfile& p = *ctx.profile;
  std::vector<DmiTest> tests;
  if (ctx.AtLeast(Level::kR2)) {
    tests.push_back({"npu.h2d_bw.",
                     Level::kR2,
                     {"ascend-dmi", "--bw", "-t", "h2d", "-s", "536870912", "--et", "50", "-q"},
                     ParseDmiBandwidth,
                     "GB/s",
                     {p.h2d_min_gbps, p.baseline_bandwidth_fraction},
                     "Host-to-device bandwidth"});
    tests.push_back({"npu.d2d_bw.",
                     Level::kR2,
                     {"ascend-dmi", "--bw", "-t", "d2d", "-q"},
                     ParseDmiBandwidth,
                     "GB/s",
                     {p.d2d_min_gbps, p.baseline_bandwidth_fraction},
                     "On-device (HBM) bandwidth"});
  }
  if (ctx.AtLeast(Level::kR3)) {
    tests.push_back({"npu.fp16_tflops.",
                     Level::kR3,
                     {"ascend-dmi", "-f", "-t", "fp16", "-q"},
                     ParseDmiCompute,
                     "TFLOPS",
                     {p.fp16_min_tflops, p.baseline_compute_fraction},
                     "FP16 compute"});
  }
  for (const DmiTest& test : tests) RunTest(ctx, roster, test, out);
}

}  // namespace hai::hwcheck::ascend
