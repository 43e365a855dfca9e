// Step "chrony": the control node serves its clock to the cluster (from its
// own clock when no upstream answers); workers follow the control node and
// any configured servers. Only our file in the distro's conf.d; the distro's
// chrony.conf gets an include line only when it does not read that directory.
#include <memory>

#include "installer/hai-install/chrony_probe.h"
#include "installer/hai-install/distro_file.h"
#include "installer/hai-install/follow_command.h"
#include "installer/hai-install/settings.h"

namespace hai::install {
namespace {

std::string ChronyConf(const PlanInput& in) {
  const InstallConfig& c = in.config;
  std::string text = GeneratedHeader(in);
  if (c.control()) {
    text +=
        "# The control node serves its clock to the HAI cluster; without an upstream\n"
        "# server that answers it serves its own (stratum 10), so the nodes agree.\n";
    for (const std::string& s : c.ntp_servers) text += "server " + s + " iburst\n";
    text += "local stratum 10\n";
    for (const std::string& a : c.addresses)
      if (a != c.address) text += "allow " + a + "\n";
  } else {
    text += "# Workers follow the control node (and any configured servers).\n";
    text += "server " + c.control_address + " iburst\n";
    for (const std::string& s : c.ntp_servers)
      if (s != c.control_address) text += "server " + s + " iburst\n";
  }
  return text;
}

}  // namespace

Result<Step> PlanChrony(const PlanInput& in) {
  DistroPaths p = PathsFor(in.distro);
  Step step;
  step.id = "chrony";
  step.description = in.config.control()
                         ? "chrony: serve this clock to the cluster"
                         : "chrony: follow the control node " + in.config.control_address;
  std::string main = ReadTargetFile(in, p.chrony_main);
  bool included =
      HasDirective(main, {"confdir", "include"}, {p.chrony_dir, p.chrony_dir + "/*.conf"});
  std::string line = in.distro == Distro::kDebian ? "confdir " + p.chrony_dir
                                                  : "include " + p.chrony_dir + "/*.conf";
  HAI_ASSIGN_OR_RETURN(
      FileSpec main_spec,
      DistroFileWithLine(in, p.chrony_main, !included, "Added by hai-install: read " + p.chrony_dir,
                         line, "chrony is not installed (no " + p.chrony_main + ")"));
  step.files.push_back(FileSpec::File(p.chrony_dir + "/hai.conf", ChronyConf(in)));
  step.files.push_back(main_spec);
  step.actions.push_back(std::make_shared<FollowCommand>(
      std::vector<std::string>{"systemctl", "restart", p.chrony_unit},
      std::vector<std::string>{step.id}, false));
  step.probes.push_back(std::make_shared<ChronyProbe>(p.chrony_unit));
  return step;
}

}  // namespace hai::install
