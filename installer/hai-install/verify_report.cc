#include "installer/hai-install/verify_report.h"

#include <nlohmann/json.hpp>

namespace hai::install {

using json = nlohmann::ordered_json;

bool AllGood(const Checks& checks) {
  for (const Check& c : checks)
    if (c.status == CheckStatus::kFail) return false;
  return true;
}

std::string RenderChecksHuman(const Checks& checks) {
  std::string out;
  int ok = 0, failed = 0, skipped = 0;
  for (const Check& c : checks) {
    switch (c.status) {
      case CheckStatus::kOk:
        ++ok;
        out += "ok       " + c.id + "\n";
        break;
      case CheckStatus::kFail:
        ++failed;
        out += "FAIL     " + c.id + ": " + (c.detail.empty() ? "differs" : c.detail) +
               " (expected " + c.expected + "; found " + (c.actual.empty() ? "nothing" : c.actual) +
               ")\n";
        break;
      case CheckStatus::kSkipped:
        ++skipped;
        out += "skipped  " + c.id + ": " + c.detail + "\n";
        break;
    }
  }
  out += std::to_string(ok) + " ok, " + std::to_string(failed) + " failed, " +
         std::to_string(skipped) + " skipped\n";
  return out;
}

std::string RenderChecksJson(const Checks& checks) {
  json list = json::array();
  for (const Check& c : checks)
    list.push_back({{"id", c.id},
                    {"status", CheckStatusName(c.status)},
                    {"expected", c.expected},
                    {"actual", c.actual},
                    {"detail", c.detail}});
  json out = {{"ok", AllGood(checks)}, {"checks", list}};
  return out.dump(2) + "\n";
}

}  // namespace hai::install
