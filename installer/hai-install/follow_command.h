#pragma once

#include <string>
#include <vector>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// A command that makes the system pick up files a step changed (restart
// chrony, update-grub): it runs only when one of `follows` (step ids)
// changes files in this run, and runs again on rollback, after the old
// files are back, so the system picks those up again.
class FollowCommand : public LiveAction {
 public:
  FollowCommand(std::vector<std::string> argv, std::vector<std::string> follows, bool kernel);

  std::string Describe() const override;
  bool Kernel() const override { return kernel_; }
  bool UndoAfterFiles() const override { return true; }
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext&, Checks*) override {}

 private:
  std::vector<std::string> argv_;
  std::vector<std::string> follows_;
  bool kernel_;
  bool ran_ = false;
};

}  // namespace hai::install
