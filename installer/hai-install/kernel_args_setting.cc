// Step "kernel-args": isolcpus= and nohz_full=, only when the install config
// sets them. Debian: a grub.d snippet appended to GRUB_CMDLINE_LINUX_DEFAULT
// and update-grub (the snippet is removed again when they are unset).
// openEuler/Kylin: grubby on every installed kernel. Both take effect at the
// next boot; --verify reads /proc/cmdline.
#include <memory>

#include "installer/hai-install/follow_command.h"
#include "installer/hai-install/kernel_args.h"
#include "installer/hai-install/settings.h"

namespace hai::install {

Result<Step> PlanKernelArgs(const PlanInput& in) {
  std::vector<std::string> args;
  if (!in.config.isolcpus.empty()) args.push_back("isolcpus=" + in.config.isolcpus);
  if (!in.config.nohz_full.empty()) args.push_back("nohz_full=" + in.config.nohz_full);
  std::string joined;
  for (const std::string& a : args) joined += " " + a;

  Step step;
  step.id = "kernel-args";
  step.description = args.empty() ? "no CPU isolation (isolcpus, nohz_full unset)"
                                  : "kernel arguments" + joined + " (after a reboot)";
  if (in.distro == Distro::kDebian) {
    const std::string file = "/etc/default/grub.d/hai.cfg";
    if (args.empty()) {
      step.files.push_back(FileSpec::Absent(file));
    } else {
      std::string text = GeneratedHeader(in);
      text += "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT" + joined + "\"\n";
      step.files.push_back(FileSpec::File(file, text));
    }
    step.actions.push_back(std::make_shared<FollowCommand>(
        std::vector<std::string>{"update-grub"}, std::vector<std::string>{step.id}, true));
  } else if (!args.empty()) {
    step.actions.push_back(std::make_shared<GrubbyArgs>(args));
  }
  if (!args.empty()) step.probes.push_back(std::make_shared<KernelCmdline>(args));
  return step;
}

}  // namespace hai::install
