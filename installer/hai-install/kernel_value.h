#pragma once

#include <optional>
#include <string>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// A live kernel value: a sysctl under /proc/sys or a /sys knob such as
// transparent_hugepage/enabled. Persisted by the step's file (sysctl.d,
// tmpfiles.d); this writes it now and puts the old value back on rollback.
class KernelValue : public LiveAction {
 public:
  enum class Reading {
    kPlain,     // the value itself; whitespace runs compare equal ("4096\t87380" = "4096 87380")
    kSelected,  // a choice list with the current one in brackets: "always [madvise] never"
  };
  // `name` is what checks are called: "sysctl:vm.swappiness", "thp:enabled".
  KernelValue(std::string name, std::string path, std::string value, Reading reading);

  std::string Describe() const override;
  bool Kernel() const override { return true; }
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext& ctx, Checks* checks) override;

  // The current value as the kernel shows it, normalised for comparison.
  static std::string Normalise(const std::string& raw, Reading reading);

 private:
  std::string name_;
  std::string path_;
  std::string value_;
  Reading reading_;
  std::optional<std::string> old_;  // what a successful Apply replaced
};

}  // namespace hai::install
