#include "hwcheck/report.h"

namespace hai::hwcheck {

Summary Summarize(const std::vector<CheckItem>& items) {
  Summary s;
  for (const CheckItem& item : items) {
    s.worst = Worst(s.worst, item.status);
    switch (item.status) {
      case Verdict::kPass:
        ++s.pass;
        break;
      case Verdict::kWarn:
        ++s.warn;
        break;
      case Verdict::kFail:
        ++s.fail;
        break;
      case Verdict::kSkip:
        ++s.skip;
        break;
    }
  }
  return s;
}

int ExitCodeFor(Verdict worst) {
  switch (worst) {
    case Verdict::kWarn:
      return 1;
    case Verdict::kFail:
      return 2;
    case Verdict::kSkip:
    case Verdict::kPass:
      return 0;
  }
  return 2;
}

}  // namespace hai::hwcheck
