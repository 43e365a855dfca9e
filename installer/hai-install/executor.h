#pragma once

#include <string>
#include <vector>

#include "installer/hai-install/file_state.h"
#include "installer/hai-install/journal.h"
#include "installer/hai-install/run_context.h"
#include "installer/hai-install/step.h"

namespace hai::install {

// What a run would do to one step, worked out without changing anything.
struct StepPreview {
  enum class ActionState { kInPlace, kApply, kSkipped };
  std::vector<FileChange> files;          // one per step.files
  std::vector<ActionState> actions;       // one per step.actions
  std::vector<std::string> action_notes;  // why skipped, or what InPlace could not read
  bool Changes() const;
};

// Every step's preview. Also sets ctx->changed_steps (the steps whose files
// change), which commands that follow a file go by.
std::vector<StepPreview> PreviewPlan(const Plan& plan, RunContext* ctx);

// What happened to one step.
struct StepOutcome {
  enum class State { kUnchanged, kChanged, kFailed, kRolledBack, kNotRun };
  std::string id;
  State state = State::kNotRun;
  std::vector<std::string> changes;  // "create /etc/hai/hai.toml", "applied: nft -f …"
  std::vector<std::string> notes;  // "skipped (--root): …", "persisted; not live: container: …"
};

struct ApplyResult {
  bool ok = true;
  std::vector<StepOutcome> steps;
  std::string failed_step;
  std::string error;
  std::vector<std::string> rollback_errors;  // what could not be put back
  bool Changed() const;
};

std::string StepStateName(StepOutcome::State state);

// Applies the plan step by step, keeping the old state of every file in the
// journal first. When something fails, every step done so far is undone in
// reverse (files restored, live changes put back, units it enabled
// disabled), and the result names the step and the error.
ApplyResult ApplyPlan(const Plan& plan, RunContext* ctx, Journal* journal);

}  // namespace hai::install
