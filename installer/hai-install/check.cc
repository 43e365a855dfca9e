#include "installer/hai-install/check.h"

namespace hai::install {

std::string CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kOk:
      return "ok";
    case CheckStatus::kFail:
      return "fail";
    case CheckStatus::kSkipped:
      return "skipped";
  }
  return "fail";
}

Check CompareCheck(std::string id, std::string expected, std::string actual, std::string detail) {
  Check c{std::move(id), CheckStatus::kOk, std::move(expected), std::move(actual), ""};
  if (c.expected != c.actual) {
    c.status = CheckStatus::kFail;
    c.detail = std::move(detail);
  }
  return c;
}

Check SkippedCheck(std::string id, std::string expected, std::string reason) {
  return {std::move(id), CheckStatus::kSkipped, std::move(expected), "", std::move(reason)};
}

Check LiveCheck(std::string id, std::string expected, std::string actual, bool in_container) {
  Check c = CompareCheck(std::move(id), std::move(expected), std::move(actual));
  if (c.status == CheckStatus::kFail && in_container) {
    c.status = CheckStatus::kSkipped;
    c.detail = "container";
  }
  return c;
}

}  // namespace hai::install
