#include "installer/hai-install/chrony_probe.h"

#include <sstream>

#include "installer/hai-install/unit_actions.h"

namespace hai::install {

std::string ChronyProbe::Field(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (name != key) continue;
    std::string value = line.substr(colon + 1);
    size_t start = value.find_first_not_of(' ');
    return start == std::string::npos ? "" : value.substr(start);
  }
  return "";
}

void ChronyProbe::Verify(const RunContext& ctx, Checks* checks) {
  const std::string id = "chrony:tracking";
  if (!ctx.live) {
    checks->push_back(SkippedCheck(id, "Leap status Normal", "--root"));
    return;
  }
  std::string state = UnitState(ctx, "is-active", unit_);
  if (state != "active") {
    checks->push_back(
        SkippedCheck(id, "Leap status Normal", unit_ + " is not running (" + state + ")"));
    return;
  }
  auto tracking = ctx.system->Run({"chronyc", "-n", "tracking"});
  if (!tracking.ok() || tracking->exit_code != 0) {
    checks->push_back({id, CheckStatus::kFail, "Leap status Normal", "",
                       "chronyc -n tracking failed: " +
                           (tracking.ok() ? tracking->err : tracking.status().message())});
    return;
  }
  Check c =
      CompareCheck(id, "Leap status Normal", "Leap status " + Field(tracking->out, "Leap status"));
  c.detail = "reference " + Field(tracking->out, "Reference ID") + ", stratum " +
             Field(tracking->out, "Stratum") + ", system time " +
             Field(tracking->out, "System time");
  checks->push_back(c);
}

}  // namespace hai::install
