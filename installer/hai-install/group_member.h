#pragma once

#include <string>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// Makes `user` a supplementary member of `group` when the group exists on
// the target (an accelerator driver's group, such as Ascend's HwHiAiUser,
// exists only where that driver is installed; elsewhere it is skipped).
// `usermod -aG` on a running system; under --root an edit of ROOT/etc/group
// (and ROOT/etc/gshadow when it lists the group). Rollback removes the
// membership only when this run added it (`gpasswd -d`).
class JoinGroup : public LiveAction {
 public:
  JoinGroup(std::string user, std::string group);

  std::string Describe() const override;
  bool Offline() const override { return true; }
  bool ChangesStep() const override { return true; }
  std::string SkipReason(const RunContext& ctx) override;
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext& ctx, Checks* checks) override;

 private:
  Status EditFiles(const RunContext& ctx, bool member) const;

  std::string user_;
  std::string group_;
  bool added_ = false;  // by Apply
};

}  // namespace hai::install
