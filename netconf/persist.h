#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"
#include "netconf/report.h"

namespace hai::netconf {

inline constexpr char kUnitName[] = "hai-netconf.service";
inline constexpr char kUnitPath[] = "/etc/systemd/system/hai-netconf.service";
inline constexpr char kInstalledPlanPath[] = "/etc/hai/fabric.toml";

// The oneshot unit that re-applies and verifies the installed plan at boot.
std::string RenderNetconfUnit();

// Writes the unit under env.root, copies `plan_text` to <root>/etc/hai/fabric.toml
// (0644) and enables the unit: `systemctl --root=<root> enable` when a root
// is given (offline, as the installer does for an image), `systemctl enable`
// otherwise. Each change goes into `actions`.
Status Persist(const std::string& plan_text, const Environment& env,
               std::vector<std::string>* actions);

}  // namespace hai::netconf
