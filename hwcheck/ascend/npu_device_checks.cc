// Per NPU, r1: health, HBM capacity, HBM ECC and the asset record
// (reference/appliance-hw.md §1.2 and §8 r1 health / HBM).
#include <cmath>

#include "hwcheck/ascend/judge.h"
#include "hwcheck/ascend/npu_check_steps.h"
#include "hwcheck/ascend/npu_ecc.h"
#include "lib/accel/npu_smi_parser.h"

namespace hai::hwcheck::ascend {
namespace {

constexpr const char* kCategory = "npu";

ToolRun Query(const CheckContext& ctx, const char* type, int npu) {
  return ctx.tools->Run({"npu-smi", "info", "-t", type, "-i", std::to_string(npu)}, kNpuSmiTimeout);
}

void AddHealth(const CheckContext& ctx, int npu, Findings* out) {
  std::string id = "npu.health." + std::to_string(npu);
  ToolRun run = Query(ctx, "health", npu);
  if (!run.ok()) return out->Add(ToolProblem(id, Level::kR1, kCategory, run));
  accel::NpuDetails d = accel::ParseNpuDetails(run.text());
  const std::string threshold = "== OK, Error Code NA";
  bool code = !d.error_code.empty() && d.error_code != "NA";
  std::string value = d.health + (code ? " (Error Code " + d.error_code + ")" : "");
  std::string who = "NPU " + std::to_string(npu);
  CheckItem item;
  if (d.health.empty()) {
    item = Fail(id, Level::kR1, kCategory, threshold, "",
                "npu-smi printed no Health Status for " + who + ".");
  } else {
    switch (accel::NpuHealth(d.health)) {
      case accel::Health::kOk:
        item = code ? Warn(id, Level::kR1, kCategory, threshold, value,
                           who + " is OK but reports error code " + d.error_code + ".")
                    : Pass(id, Level::kR1, kCategory, threshold, value);
        break;
      case accel::Health::kWarning:
        item = Warn(id, Level::kR1, kCategory, threshold, value, who + " health is Warning.");
        break;
      case accel::Health::kCritical:
        item =
            Fail(id, Level::kR1, kCategory, threshold, value, who + " health is " + d.health + ".");
        break;
      case accel::Health::kUnknown:
        item = Fail(id, Level::kR1, kCategory, threshold, value,
                    who + " health is " + d.health + " (absent or not started).");
        break;
    }
  }
  out->Add(WithEvidence(std::move(item), run));
}

void AddHbm(const CheckContext& ctx, int npu, Findings* out) {
  std::string id = "npu.hbm_capacity." + std::to_string(npu);
  ToolRun run = Query(ctx, "memory", npu);
  if (!run.ok()) return out->Add(ToolProblem(id, Level::kR1, kCategory, run));
  accel::NpuDetails d = accel::ParseNpuDetails(run.text());
  if (d.hbm_capacity_mib < 0)
    return out->Add(WithEvidence(
        Fail(id, Level::kR1, kCategory, "", "", "npu-smi printed no HBM Capacity(MB)."), run));
  const HwProfile& p = *ctx.profile;
  std::string value = std::to_string(d.hbm_capacity_mib) + " MiB";
  CheckItem item;
  if (p.device_memory_mib <= 0) {
    item = Pass(id, Level::kR1, kCategory, "recorded (no rated HBM in the profile)", value);
  } else {
    auto floor = static_cast<int64_t>(std::ceil(p.hbm_min_fraction * p.device_memory_mib));
    std::string threshold = ">= " + std::to_string(floor) + " MiB (" +
                            FormatNumber(p.hbm_min_fraction, 2) + " x " +
                            std::to_string(p.device_memory_mib) + ")";
    item = d.hbm_capacity_mib >= floor ? Pass(id, Level::kR1, kCategory, threshold, value)
                                       : Fail(id, Level::kR1, kCategory, threshold, value,
                                              "NPU " + std::to_string(npu) + " reports " + value +
                                                  " of HBM, below " + threshold.substr(3) + ".");
  }
  item.number = static_cast<double>(d.hbm_capacity_mib);
  out->Add(WithEvidence(std::move(item), run));
}

void AddEcc(const CheckContext& ctx, int npu, Findings* out) {
  const std::string n = std::to_string(npu);
  ToolRun run = Query(ctx, "ecc", npu);
  if (!run.ok()) {
    for (const char* id : {"npu.ecc_double.", "npu.ecc_single.", "npu.ecc_isolated_pages."})
      out->Add(ToolProblem(id + n, Level::kR1, kCategory, run));
    return;
  }
  NpuEcc ecc = ParseNpuEcc(run.text());
  auto missing = [&](const std::string& id, const char* key) {
    out->Add(WithEvidence(
        Fail(id, Level::kR1, kCategory, "", "", std::string("npu-smi printed no ") + key + "."),
        run));
  };
  if (ecc.hbm_double_bit < 0) {
    missing("npu.ecc_double." + n, "HBM Double Bit Error Count");
  } else {
    std::string value = std::to_string(ecc.hbm_double_bit);
    CheckItem item =
        ecc.hbm_double_bit == 0
            ? Pass("npu.ecc_double." + n, Level::kR1, kCategory, "== 0", value)
            : Fail("npu.ecc_double." + n, Level::kR1, kCategory, "== 0", value,
                   "NPU " + n + " has " + value + " uncorrectable (double-bit) HBM ECC errors.");
    item.number = static_cast<double>(ecc.hbm_double_bit);
    out->Add(WithEvidence(std::move(item), run));
  }
  if (ecc.hbm_single_bit < 0)
    missing("npu.ecc_single." + n, "HBM Single Bit Error Count");
  else
    out->Add(WithEvidence(
        JudgeNotGrown(ctx, "npu.ecc_single." + n, Level::kR1, kCategory,
                      static_cast<double>(ecc.hbm_single_bit), "", "Single-bit HBM ECC count"),
        run));
  if (ecc.IsolatedPages() < 0)
    missing("npu.ecc_isolated_pages." + n, "HBM Isolated Pages Count");
  else
    out->Add(WithEvidence(
        JudgeNotGrown(ctx, "npu.ecc_isolated_pages." + n, Level::kR1, kCategory,
                      static_cast<double>(ecc.IsolatedPages()), "pages", "Isolated HBM page count"),
        run));
}

// The asset record: serial from the board query, else from `info -l`.
void AddAsset(const CheckContext& ctx, const NpuChip& chip, const std::vector<NpuCard>& cards,
              Findings* out) {
  ToolRun run = Query(ctx, "board", chip.npu_id);
  accel::NpuDetails d;
  if (run.ok()) d = accel::ParseNpuDetails(run.text());
  AssetRecord asset;
  asset.node = ctx.node;
  asset.kind = "npu";
  asset.slot = std::to_string(chip.npu_id);
  asset.vendor = "Huawei";
  asset.model = !chip.name.empty() ? chip.name : d.chip_name;
  asset.serial = d.serial;
  for (const NpuCard& card : cards)
    if (card.npu_id == chip.npu_id && asset.serial.empty()) asset.serial = card.serial;
  asset.version = d.firmware;
  asset.source = "npu-smi";
  if (run.ok() || !asset.model.empty()) out->assets.push_back(std::move(asset));
}

}  // namespace

void AddNpuDeviceChecks(const CheckContext& ctx, const NpuChip& chip,
                        const std::vector<NpuCard>& cards, Findings* out) {
  AddHealth(ctx, chip.npu_id, out);
  AddHbm(ctx, chip.npu_id, out);
  AddEcc(ctx, chip.npu_id, out);
  AddAsset(ctx, chip, cards, out);
}

}  // namespace hai::hwcheck::ascend
