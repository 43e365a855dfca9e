// Step "thp": transparent huge pages as the profile says (madvise: what the
// Ascend driver's init script sets and expects), persisted by a tmpfiles.d
// entry that systemd-tmpfiles applies at every boot.
#include <memory>

#include "installer/hai-install/kernel_value.h"
#include "installer/hai-install/settings.h"

namespace hai::install {

Result<Step> PlanThp(const PlanInput& in) {
  Step step;
  step.id = "thp";
  step.description = "transparent huge pages: enabled " + in.tuning.thp_enabled + ", defrag " +
                     in.tuning.thp_defrag;
  const std::string base = "/sys/kernel/mm/transparent_hugepage/";
  std::string text = GeneratedHeader(in);
  for (const auto& [knob, value] :
       {std::pair{"enabled", in.tuning.thp_enabled}, std::pair{"defrag", in.tuning.thp_defrag}}) {
    text += "w " + base + knob + " - - - - " + value + "\n";
    step.actions.push_back(std::make_shared<KernelValue>(std::string("thp:") + knob, base + knob,
                                                         value, KernelValue::Reading::kSelected));
  }
  step.files.push_back(FileSpec::File("/etc/tmpfiles.d/hai-thp.conf", text));
  return step;
}

}  // namespace hai::install
