// Step "units": hai.target and the role's daemons enabled (and started
// unless --no-start or --root); running daemons are restarted when their
// configuration, token or certificate changed. A data_dir other than
// /var/lib/hai gets a drop-in that lets the sandboxed daemons write there.
#include <unistd.h>

#include <memory>

#include "installer/hai-install/follow_command.h"
#include "installer/hai-install/settings.h"
#include "installer/hai-install/unit_actions.h"

namespace hai::install {
namespace {

std::vector<std::string> RoleUnits(Role role) {
  if (role == Role::kControl)
    return {"hai-portal.service", "hai-scheduler.service", "hai-agent.service",
            "hai-gateway.service"};
  return {"hai-agent.service", "hai-gateway.service"};
}

bool UnitInstalled(const PlanInput& in, const std::string& unit) {
  for (const char* dir :
       {"/usr/lib/systemd/system/", "/lib/systemd/system/", "/etc/systemd/system/"})
    if (access(in.Path(dir + unit).c_str(), R_OK) == 0) return true;
  return false;
}

}  // namespace

Result<Step> PlanUnits(const PlanInput& in) {
  std::vector<std::string> units = RoleUnits(in.config.role);
  std::vector<std::string> all = units;
  all.insert(all.begin(), "hai.target");
  for (const std::string& u : all)
    if (!UnitInstalled(in, u))
      return Status::FailedPrecondition(u + " is not installed under " +
                                        in.Path("/usr/lib/systemd/system") +
                                        ": install the hai package first");
  Step step;
  step.id = "units";
  std::string list;
  for (const std::string& u : all) list += " " + u;
  step.description = (in.start_units ? "enable and start" : "enable") + list;
  // The daemons that write their data directory (ReadWritePaths in the unit).
  for (const char* daemon : {"hai-portal", "hai-scheduler", "hai-agent"}) {
    std::string path =
        std::string("/etc/systemd/system/") + daemon + ".service.d/hai-data-dir.conf";
    if (in.config.data_dir == "/var/lib/hai") {
      step.files.push_back(FileSpec::Absent(path));
    } else {
      step.files.push_back(FileSpec::File(
          path, GeneratedHeader(in) + "[Service]\nReadWritePaths=" + in.config.data_dir + "\n"));
    }
  }
  step.actions.push_back(
      std::make_shared<FollowCommand>(std::vector<std::string>{"systemctl", "daemon-reload"},
                                      std::vector<std::string>{step.id}, false));
  step.actions.push_back(std::make_shared<EnableUnits>(all));
  std::vector<std::string> restart = {"systemctl", "try-restart"};
  restart.insert(restart.end(), units.begin(), units.end());
  step.actions.push_back(std::make_shared<FollowCommand>(
      restart, std::vector<std::string>{"hai-config", "cluster-token", "tls", step.id}, false));
  // Supplementary groups are fixed when a process starts: the agent (and the
  // engines it starts, its children) gets a new device group by restarting.
  step.actions.push_back(std::make_shared<FollowCommand>(
      std::vector<std::string>{"systemctl", "try-restart", "hai-agent.service"},
      std::vector<std::string>{"device-groups"}, false));
  if (in.start_units) step.actions.push_back(std::make_shared<StartUnits>(all));
  return step;
}

}  // namespace hai::install
