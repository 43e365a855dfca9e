// Step "sysctl": the tuning profile's sysctls, persisted in sysctl.d and
// written to /proc/sys now.
#include <memory>

#include "installer/hai-install/kernel_value.h"
#include "installer/hai-install/settings.h"

namespace hai::install {

std::string GeneratedHeader(const PlanInput& in, const std::string& comment) {
  return comment + " Written by hai-install for node " + in.config.name + " (" +
         RoleName(in.config.role) + "). Change the install config and run hai-install again;\n" +
         comment + " edits made here are overwritten.\n";
}

Result<Step> PlanSysctl(const PlanInput& in) {
  Step step;
  step.id = "sysctl";
  step.description = "kernel parameters of tuning profile " + in.tuning.name;
  std::string text = GeneratedHeader(in);
  text += "# Tuning profile " + in.tuning.name +
          (in.tuning.description.empty() ? "" : ": " + in.tuning.description) + "\n";
  text += "# net.core.wmem_max and net.unix.max_dgram_qlen are the Ascend driver's to set.\n";
  for (const auto& [key, value] : in.tuning.sysctls) {
    text += key + " = " + value + "\n";
    step.actions.push_back(std::make_shared<KernelValue>("sysctl:" + key, SysctlPath(key), value,
                                                         KernelValue::Reading::kPlain));
  }
  step.files.push_back(FileSpec::File("/etc/sysctl.d/90-hai.conf", text));
  return step;
}

}  // namespace hai::install
