#pragma once

#include <string>
#include <vector>

namespace hai::install {

enum class CheckStatus { kOk, kFail, kSkipped };

// One line of the --verify report.
struct Check {
  std::string
      id;  // "file:/etc/hai/hai.toml", "sysctl:vm.swappiness", "unit:hai-agent.service:active"
  CheckStatus status = CheckStatus::kOk;
  std::string expected;
  std::string actual;
  std::string detail;  // why it failed, or why it was skipped ("container", "--root")
};

using Checks = std::vector<Check>;

std::string CheckStatusName(CheckStatus status);

}  // namespace hai::install

namespace hai::install {

// ok when actual == expected, else fail with `detail`.
Check CompareCheck(std::string id, std::string expected, std::string actual,
                   std::string detail = "");
Check SkippedCheck(std::string id, std::string expected, std::string reason);
// A live value that differs: fail, or skipped ("container") where the
// kernel's settings belong to the host.
Check LiveCheck(std::string id, std::string expected, std::string actual, bool in_container);

}  // namespace hai::install
