#pragma once

#include <optional>
#include <string>

#include "hwcheck/bmc/bmc_snapshot.h"
#include "hwcheck/check.h"

// The rules JudgeBmc (bmc_readers.h) applies, the same for IPMI and Redfish
// snapshots (reference/appliance-hw.md §8, "r1 BMC"). Every item is r1,
// category "bmc".
//
// bmc.system_health   Redfish Status: OK → PASS, Warning → WARN, Critical →
//                     FAIL, worsened by ProcessorSummary/MemorySummary ("system"
//                     parts). Empty (IPMI has no rollup) → the worst of the
//                     judged parts, naming the worst ones.
// bmc.<kind>.<name>   one per part (<name> lower-cased, spaces → '_'; a name
//                     seen twice gets "_2"): kCritical → FAIL, kWarning → WARN,
//                     kOk → PASS.
//                     kAbsent: a PSU or fan bay the BMC lists with nothing in it
//                     → FAIL (the appliance's servers ship with every PSU and fan
//                     populated and the acceptance HA test pulls them: a missing
//                     one is a fault, not a configuration); an empty DIMM slot,
//                     drive bay, CPU/NPU socket or absent sensor → no item.
//                     kUnknown (no health given) → judged by the reading alone
//                     when it has thresholds, else SKIP saying the BMC gave none.
//                     Temperatures: reading > upper critical → FAIL, > upper
//                     non-critical → WARN (the threshold in the item). Fans:
//                     reading < lower critical → FAIL.
// bmc.redundancy      every redundancy problem the BMC reports → FAIL (lost or
//                     degraded redundancy means the next failure stops the
//                     server); none → PASS.
// bmc.sel_critical    log entries of Severity "Critical" (any case): with a
//                     baseline holding bmc.sel_critical, more than its count →
//                     FAIL (new Critical entries since acceptance), else PASS;
//                     without one, any → FAIL naming the newest three.
// bmc.bios            PASS "vendor version"; the reason says which is unknown;
//                     neither known → SKIP.
namespace hai::hwcheck::bmc {

// "Inlet Temp" → "inlet_temp": the <name> part of a bmc.<kind>.<name> id.
std::string PartIdName(const std::string& name);

// The verdict for one part, with its threshold text and reason; nullopt when
// the part gets no item (an empty slot or bay).
struct PartVerdict {
  Verdict status = Verdict::kSkip;
  std::string threshold;
  std::string value;
  std::string reason;
};
std::optional<PartVerdict> JudgePart(const BmcPart& part);

}  // namespace hai::hwcheck::bmc
