#pragma once

#include <string>

#include "installer/hai-install/check.h"
#include "installer/hai-install/run_context.h"

namespace hai::install {

// One change to the running system that a step makes besides its files: a
// kernel value, a command such as `nft -f` or `systemctl enable`. It knows
// whether it is already in place, applies itself, puts back what it changed
// (rollback), and checks itself for --verify. Apply keeps what Undo needs,
// so one object is used for one run. Not thread-safe.
class LiveAction {
 public:
  virtual ~LiveAction() = default;

  virtual std::string Describe() const = 0;
  // Runs under --root too (it works on a directory, offline).
  virtual bool Offline() const { return false; }
  // Changes the kernel: inside a container it is persisted only, and a
  // failure to apply it is reported, not fatal.
  virtual bool Kernel() const { return false; }
  // Its undo makes the system read the step's files again, so it runs after
  // they were restored; other undos run before (enable's .wants directories
  // must be gone before the directories the step made are removed).
  virtual bool UndoAfterFiles() const { return false; }
  // Counts as a change of its step for commands that follow the step (a new
  // group membership reaches the agent only when it restarts).
  virtual bool ChangesStep() const { return false; }
  // Why it does not apply on this target ("group absent"), "" when it does;
  // a skipped action is neither applied nor undone.
  virtual std::string SkipReason(const RunContext&) { return ""; }

  virtual Result<bool> InPlace(const RunContext& ctx) = 0;
  virtual Status Apply(const RunContext& ctx) = 0;
  virtual Status Undo(const RunContext& ctx) = 0;
  virtual void Verify(const RunContext& ctx, Checks* checks) = 0;
};

// A check with no change behind it (certificate validity, chrony's sync).
class Probe {
 public:
  virtual ~Probe() = default;
  virtual void Verify(const RunContext& ctx, Checks* checks) = 0;
};

}  // namespace hai::install
