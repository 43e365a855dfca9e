// npu.count, npu.pci_count, npu.name.<i>, npu.topology (reference/appliance-hw.md §8 r1).
#include <algorithm>
#include <cctype>

#include "hwcheck/ascend/judge.h"
#include "hwcheck/ascend/npu_check_steps.h"
#include "hwcheck/ascend/npu_topology.h"
#include "lib/accel/sysfs_pci.h"

namespace hai::hwcheck::ascend {
namespace {

constexpr const char* kCategory = "npu";

// "Ascend 910B3" → "ascend910b3": npu-smi prints a blank, profiles do not.
std::string Squash(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

CheckItem CountItem(std::string id, int found, int expected, const std::string& what) {
  std::string value = std::to_string(found) + " " + what;
  CheckItem item =
      expected <= 0 ? Pass(std::move(id), Level::kR1, kCategory,
                           "recorded (no device count in the profile)", value)
      : found == expected
          ? Pass(std::move(id), Level::kR1, kCategory, "== " + std::to_string(expected), value)
          : Fail(std::move(id), Level::kR1, kCategory, "== " + std::to_string(expected), value,
                 "Found " + std::to_string(found) + " " + what + ", the profile expects " +
                     std::to_string(expected) + ".");
  item.number = found;
  return item;
}

std::vector<NpuCard> AddCount(const CheckContext& ctx, Findings* out) {
  ToolRun run = ctx.tools->Run({"npu-smi", "info", "-l"}, kNpuSmiTimeout);
  if (!run.ok()) {
    out->Add(ToolProblem("npu.count", Level::kR1, kCategory, run));
    return {};
  }
  Result<NpuList> list = ParseNpuList(run.text());
  if (!list.ok()) {
    out->Add(WithEvidence(Fail("npu.count", Level::kR1, kCategory, "", "", list.status().message()),
                          run));
    return {};
  }
  int found = list->total_count >= 0 ? list->total_count : static_cast<int>(list->cards.size());
  out->Add(WithEvidence(CountItem("npu.count", found, ctx.profile->device_count, "NPUs"), run));
  return list->cards;
}

void AddPciCount(const CheckContext& ctx, Findings* out) {
  accel::PciOptions options;
  options.sysfs_root = ctx.Path("/sys");
  Result<std::vector<accel::Device>> devices = accel::EnumeratePciAccelerators(options);
  if (!devices.ok()) {
    out->Add(Skip("npu.pci_count", Level::kR1, kCategory,
                  "PCI devices unreadable: " + devices.status().message()));
    return;
  }
  std::string listing;
  int found = 0;
  for (const accel::Device& d : *devices) {
    if (d.vendor != accel::Vendor::kAscend) continue;
    ++found;
    listing += d.bus_id + " " + d.model + "\n";
  }
  CheckItem item =
      CountItem("npu.pci_count", found, ctx.profile->device_count, "Ascend functions on PCI");
  std::string evidence = ctx.tools->evidence().Save("sysfs-pci-ascend", listing);
  if (!evidence.empty()) item.evidence.push_back(evidence);
  out->Add(std::move(item));
}

void AddNames(const CheckContext& ctx, const NpuRoster& roster, Findings* out) {
  const std::string& model = ctx.profile->device_model;
  std::string want = model.empty() ? "ascend" : Squash(model);
  for (const NpuChip& chip : roster.chips) {
    std::string id = "npu.name." + std::to_string(chip.npu_id);
    if (!roster.from_tool) {
      out->Add(ToolProblem(id, Level::kR1, kCategory, roster.run));
      continue;
    }
    std::string threshold = "starts with " + (model.empty() ? std::string("Ascend") : model);
    CheckItem item = Squash(chip.name).starts_with(want)
                         ? Pass(id, Level::kR1, kCategory, threshold, chip.name)
                         : Fail(id, Level::kR1, kCategory, threshold, chip.name,
                                "NPU " + std::to_string(chip.npu_id) + " is a " + chip.name +
                                    ", the profile expects " + threshold.substr(12) + ".");
    out->Add(WithEvidence(std::move(item), roster.run));
  }
}

void AddTopology(const CheckContext& ctx, const NpuRoster& roster, Findings* out) {
  ToolRun run = ctx.tools->Run({"npu-smi", "info", "-t", "topo"}, kNpuSmiTimeout);
  if (!run.ok()) {
    out->Add(ToolProblem("npu.topology", Level::kR1, kCategory, run));
    return;
  }
  HccsTopology topo = ReadHccsTopology(run.text());
  int expected = static_cast<int>(roster.chips.size());
  std::string threshold = "every pair of " + std::to_string(expected) + " NPUs HCCS";
  CheckItem item;
  if (topo.devices == 0) {
    item = Fail("npu.topology", Level::kR1, kCategory, threshold, "",
                "npu-smi info -t topo printed no NPU matrix.");
  } else if (topo.devices != expected) {
    item = Fail("npu.topology", Level::kR1, kCategory, threshold,
                std::to_string(topo.devices) + " NPUs in the matrix",
                "The topology matrix has " + std::to_string(topo.devices) + " NPUs, expected " +
                    std::to_string(expected) + ".");
  } else if (!topo.AllHccs()) {
    std::string who;
    for (int i : topo.not_hccs) who += (who.empty() ? "NPU" : ", NPU") + std::to_string(i);
    item = Fail("npu.topology", Level::kR1, kCategory, threshold, "not all HCCS: " + who,
                who + " reach some NPU other than over HCCS (SYS/PHB/PIX/PXB/NA).");
  } else {
    item = Pass("npu.topology", Level::kR1, kCategory, threshold,
                std::to_string(topo.devices) + " NPUs, all pairs HCCS");
  }
  out->Add(WithEvidence(std::move(item), run));
}

}  // namespace

std::vector<NpuCard> AddNpuInventoryChecks(const CheckContext& ctx, const NpuRoster& roster,
                                           Findings* out) {
  std::vector<NpuCard> cards = AddCount(ctx, out);
  AddPciCount(ctx, out);
  AddNames(ctx, roster, out);
  AddTopology(ctx, roster, out);
  return cards;
}

}  // namespace hai::hwcheck::ascend
