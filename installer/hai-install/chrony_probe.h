#pragma once

#include <string>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// --verify: when chronyd runs, `chronyc -n tracking` must report
// "Leap status : Normal" (synchronised); not running is reported as skipped.
class ChronyProbe : public Probe {
 public:
  explicit ChronyProbe(std::string unit) : unit_(std::move(unit)) {}
  void Verify(const RunContext& ctx, Checks* checks) override;

  // The value of a "Key : value" line of chronyc's output, "" when absent.
  static std::string Field(const std::string& text, const std::string& key);

 private:
  std::string unit_;
};

}  // namespace hai::install
