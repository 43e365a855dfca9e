#pragma once

#include <string>
#include <vector>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// Kernel arguments on an openEuler/Kylin system: `grubby --update-kernel=ALL
// --args=…` (they use BLS entries, so /etc/default/grub is not read for
// existing kernels). Rollback removes ours and puts back the values the
// default entry had before.
class GrubbyArgs : public LiveAction {
 public:
  explicit GrubbyArgs(std::vector<std::string> args);  // "isolcpus=2-15"

  std::string Describe() const override;
  bool Kernel() const override { return true; }
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext&, Checks*) override {}

 private:
  Result<std::string> DefaultArgs(const RunContext& ctx) const;
  std::vector<std::string> args_;
  std::vector<std::string> old_;  // the default entry's values of our keys
  bool applied_ = false;
};

// --verify: the running kernel's command line holds each argument (they take
// effect after a reboot).
class KernelCmdline : public Probe {
 public:
  explicit KernelCmdline(std::vector<std::string> args);
  void Verify(const RunContext& ctx, Checks* checks) override;

 private:
  std::vector<std::string> args_;
};

// The words of a command line.
std::vector<std::string> SplitWords(const std::string& text);

}  // namespace hai::install
