#include "lib/placement/memory_rules.h"

namespace hai::placement {
namespace {

using accel::Vendor;

// Sources (see /work/shared/reference/scheduling-autoscaling.md §1.1-1.2):
//  - Ascend soft partitioning rounds up to the next vNPU template; HAMi's
//    device-configmap gives 910B3 {16 GiB vir05_1c_16g, 32 GiB vir10_3c_32g}
//    and 910B2 {8, 16, 32 GiB}. Other Ascend models record no template here,
//    so a slice of them is the whole card (visible in the decision).
//  - Moore Threads sgpu-memory counts 512 MiB units.
//  - Everyone else (NVIDIA, MetaX, Hygon, PPU) slices by the MiB.
const std::vector<SliceRule>& Table() {
  static const std::vector<SliceRule> kTable = {
      {Vendor::kAscend, "Ascend910B3", 1, {16384, 32768}, false},
      {Vendor::kAscend, "Ascend910B2", 1, {8192, 16384, 32768}, false},
      {Vendor::kAscend, "", 1, {}, true},
      {Vendor::kMthreads, "", 512, {}, false},
      {Vendor::kNvidia, "", 1, {}, false},
      {Vendor::kMetax, "", 1, {}, false},
      {Vendor::kHygon, "", 1, {}, false},
      {Vendor::kPpu, "", 1, {}, false},
      {Vendor::kCpu, "", 1, {}, true},
  };
  return kTable;
}

}  // namespace

const SliceRule& SliceRuleFor(Vendor vendor, std::string_view model) {
  for (const SliceRule& rule : Table())
    if (rule.vendor == vendor && (rule.model.empty() || rule.model == model)) return rule;
  return Table().back();  // unreachable while every vendor has a catch-all row
}

int64_t RoundSliceMib(const accel::Device& device, int64_t request_mib) {
  if (device.memory_mib <= 0) return -1;
  const SliceRule& rule = SliceRuleFor(device.vendor, device.model);
  if (rule.whole_only) return device.memory_mib;
  int64_t rounded = -1;
  if (!rule.templates_mib.empty()) {
    for (int64_t t : rule.templates_mib)
      if (t >= request_mib) {
        rounded = t;
        break;
      }
  } else {
    rounded = (request_mib + rule.unit_mib - 1) / rule.unit_mib * rule.unit_mib;
  }
  if (rounded < 0 || rounded >= device.memory_mib) return device.memory_mib;
  return rounded;
}

}  // namespace hai::placement
