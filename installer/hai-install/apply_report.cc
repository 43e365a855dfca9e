#include "installer/hai-install/apply_report.h"

#include <nlohmann/json.hpp>

namespace hai::install {

using json = nlohmann::ordered_json;

std::string RenderApplyHuman(const ApplyResult& result) {
  std::string out;
  for (const StepOutcome& s : result.steps) {
    out += s.id + ": " + StepStateName(s.state) + "\n";
    for (const std::string& c : s.changes) out += "    " + c + "\n";
    // Under --root every live action is skipped: one line says so.
    int offline = 0;
    for (const std::string& n : s.notes) {
      if (n.rfind("skipped (--root): ", 0) == 0) {
        ++offline;
      } else {
        out += "    " + n + "\n";
      }
    }
    if (offline > 0)
      out += "    " + std::to_string(offline) + " live action" + (offline > 1 ? "s" : "") +
             " skipped (--root)\n";
  }
  if (!result.ok) {
    out += "FAILED at step " + result.failed_step + ": " + result.error + "\n";
    out += result.rollback_errors.empty() ? "every change of this run was rolled back\n"
                                          : "rollback incomplete:\n";
    for (const std::string& e : result.rollback_errors) out += "    " + e + "\n";
  } else {
    out += result.Changed() ? "done\n" : "nothing to change: every step is unchanged\n";
  }
  return out;
}

std::string RenderApplyJson(const ApplyResult& result) {
  json steps = json::array();
  for (const StepOutcome& s : result.steps)
    steps.push_back({{"id", s.id},
                     {"status", StepStateName(s.state)},
                     {"changes", s.changes},
                     {"notes", s.notes}});
  json out = {{"ok", result.ok}, {"changed", result.Changed()}, {"steps", steps}};
  if (!result.ok) {
    out["failed_step"] = result.failed_step;
    out["error"] = result.error;
    out["rolled_back"] = result.rollback_errors.empty();
    out["rollback_errors"] = result.rollback_errors;
  }
  return out.dump(2) + "\n";
}

}  // namespace hai::install
