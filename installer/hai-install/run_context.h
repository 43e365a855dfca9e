#pragma once

#include <set>
#include <string>

#include "installer/hai-install/system.h"

namespace hai::install {

// What a live action or a check needs to know about this run.
struct RunContext {
  System* system = nullptr;
  // Every file path is under this directory ("" = the host's own /).
  std::string root;
  // Whether live actions run. Off under --root, where only actions that work
  // on a directory (systemctl --root enable) run and the rest are skipped.
  bool live = true;
  // Kernel settings belong to the host; they are persisted only.
  bool in_container = false;
  // Steps whose files this run changes (commands that follow a file, such as
  // a restart, run only then).
  std::set<std::string> changed_steps;

  std::string Path(const std::string& absolute) const { return root + absolute; }
  bool StepChanged(const std::string& id) const { return changed_steps.contains(id); }
};

}  // namespace hai::install
