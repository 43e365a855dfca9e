#include "hwcheck/bmc/bmc_snapshot.h"

namespace hai::hwcheck::bmc {

std::string_view PartHealthName(PartHealth h) {
  switch (h) {
    case PartHealth::kOk: return "ok";
    case PartHealth::kWarning: return "warning";
    case PartHealth::kCritical: return "critical";
    case PartHealth::kAbsent: return "absent";
    case PartHealth::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace hai::hwcheck::bmc
