#include "installer/hai-install/executor.h"

#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <memory>

namespace hai::install {
namespace {

bool SameSpec(const FileSpec& a, const FileSpec& b) {
  return a.kind == b.kind && a.content == b.content && a.mode == b.mode && a.uid == b.uid &&
         a.gid == b.gid;
}

// Directories on the way to `path` that are missing under the root, top down.
std::vector<std::string> MissingParents(const RunContext& ctx, const std::string& path) {
  std::vector<std::string> missing;
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    struct stat st;
    if (lstat(ctx.Path(dir).c_str(), &st) != 0) missing.push_back(dir);
  }
  return missing;
}

Status WriteSpec(const RunContext& ctx, const FileSpec& spec) {
  std::string full = ctx.Path(spec.path);
  switch (spec.kind) {
    case FileSpec::Kind::kFile:
      return WriteFileAtomic(full, spec.content, spec.mode, spec.uid, spec.gid);
    case FileSpec::Kind::kDirectory:
      return SetDirectory(full, spec.mode, spec.uid, spec.gid);
    case FileSpec::Kind::kAbsent:
      return RemovePath(full);
  }
  return Status::Ok();
}

// One step being applied: its files, then its actions.
class StepRun {
 public:
  StepRun(const Step& step, RunContext* ctx, Journal* journal)
      : step_(step), ctx_(ctx), journal_(journal) {
    outcome_.id = step.id;
  }

  Status Apply() {
    HAI_RETURN_IF_ERROR(ApplyFiles());
    return ApplyActions();
  }

  // Live changes first (save those that re-read the files), then the files.
  void Undo(std::vector<std::string>* errors) {
    for (auto it = applied_.rbegin(); it != applied_.rend(); ++it)
      if (!(*it)->UndoAfterFiles()) UndoOne(**it, errors);
    journal_->Restore(step_.id, errors);
    for (auto it = applied_.rbegin(); it != applied_.rend(); ++it)
      if ((*it)->UndoAfterFiles()) UndoOne(**it, errors);
  }

  StepOutcome& outcome() { return outcome_; }

 private:
  Status ApplyFiles() {
    for (const FileSpec& spec : step_.files) {
      HAI_ASSIGN_OR_RETURN(FileState state, ReadFileState(ctx_->Path(spec.path)));
      FileChange change = CompareFile(spec, state);
      if (change == FileChange::kUnchanged) continue;
      if (spec.kind != FileSpec::Kind::kAbsent) {
        for (const std::string& dir : MissingParents(*ctx_, spec.path)) {
          HAI_RETURN_IF_ERROR(journal_->Record(step_.id, dir));
          HAI_RETURN_IF_ERROR(SetDirectory(ctx_->Path(dir), 0755, geteuid(), getegid()));
        }
      }
      HAI_RETURN_IF_ERROR(journal_->Record(step_.id, spec.path));
      HAI_RETURN_IF_ERROR(WriteSpec(*ctx_, spec));
      outcome_.changes.push_back(FileChangeName(change) + " " + spec.path);
    }
    return Status::Ok();
  }

  Status ApplyActions() {
    for (const std::shared_ptr<LiveAction>& action : step_.actions) {
      if (!ctx_->live && !action->Offline()) {
        outcome_.notes.push_back("skipped (--root): " + action->Describe());
        continue;
      }
      if (std::string why = action->SkipReason(*ctx_); !why.empty()) {
        outcome_.notes.push_back("skipped: " + why + ": " + action->Describe());
        continue;
      }
      auto in_place = action->InPlace(*ctx_);
      if (in_place.ok() && *in_place) continue;
      // Undone even when it fails half-way (one unit of three enabled).
      applied_.push_back(action.get());
      Status st = action->Apply(*ctx_);
      if (st.ok()) {
        outcome_.changes.push_back("applied: " + action->Describe());
      } else if (action->Kernel() && ctx_->in_container) {
        applied_.pop_back();
        outcome_.notes.push_back("persisted; not live: container: " + action->Describe() + " (" +
                                 st.message() + ")");
      } else {
        return Status(st.code(), action->Describe() + ": " + st.message());
      }
    }
    return Status::Ok();
  }

  void UndoOne(LiveAction& action, std::vector<std::string>* errors) {
    if (Status st = action.Undo(*ctx_); !st.ok())
      errors->push_back("undoing " + action.Describe() + ": " + st.message());
  }

  const Step& step_;
  RunContext* ctx_;
  Journal* journal_;
  StepOutcome outcome_;
  std::vector<LiveAction*> applied_;
};

}  // namespace

bool StepPreview::Changes() const {
  for (FileChange f : files)
    if (f != FileChange::kUnchanged) return true;
  for (ActionState a : actions)
    if (a == ActionState::kApply) return true;
  return false;
}

bool ApplyResult::Changed() const {
  for (const StepOutcome& s : steps)
    if (s.state != StepOutcome::State::kUnchanged && s.state != StepOutcome::State::kNotRun)
      return true;
  return false;
}

std::string StepStateName(StepOutcome::State state) {
  switch (state) {
    case StepOutcome::State::kUnchanged:
      return "unchanged";
    case StepOutcome::State::kChanged:
      return "changed";
    case StepOutcome::State::kFailed:
      return "failed";
    case StepOutcome::State::kRolledBack:
      return "rolled back";
    case StepOutcome::State::kNotRun:
      return "not run";
  }
  return "not run";
}

std::vector<StepPreview> PreviewPlan(const Plan& plan, RunContext* ctx) {
  std::vector<StepPreview> previews;
  // A path an earlier step already brings to the same spec is no change later.
  std::map<std::string, const FileSpec*> planned;
  ctx->changed_steps.clear();
  for (const Step& step : plan.steps) {
    StepPreview p;
    for (const FileSpec& spec : step.files) {
      auto earlier = planned.find(spec.path);
      FileChange change;
      if (earlier != planned.end() && SameSpec(*earlier->second, spec)) {
        change = FileChange::kUnchanged;
      } else {
        auto state = ReadFileState(ctx->Path(spec.path));
        change = state.ok() ? CompareFile(spec, *state) : FileChange::kReplace;
      }
      if (change != FileChange::kUnchanged) ctx->changed_steps.insert(step.id);
      planned[spec.path] = &spec;
      p.files.push_back(change);
    }
    previews.push_back(std::move(p));
  }
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    for (const std::shared_ptr<LiveAction>& action : plan.steps[i].actions) {
      StepPreview& p = previews[i];
      if (!ctx->live && !action->Offline()) {
        p.actions.push_back(StepPreview::ActionState::kSkipped);
        p.action_notes.push_back("--root");
        continue;
      }
      if (std::string why = action->SkipReason(*ctx); !why.empty()) {
        p.actions.push_back(StepPreview::ActionState::kSkipped);
        p.action_notes.push_back(why);
        continue;
      }
      auto in_place = action->InPlace(*ctx);
      bool done = in_place.ok() && *in_place;
      // Commands that follow this step (in later steps) must see the change.
      if (!done && action->ChangesStep()) ctx->changed_steps.insert(plan.steps[i].id);
      p.actions.push_back(done ? StepPreview::ActionState::kInPlace
                               : StepPreview::ActionState::kApply);
      p.action_notes.push_back(in_place.ok() ? "" : in_place.status().message());
    }
  }
  return previews;
}

ApplyResult ApplyPlan(const Plan& plan, RunContext* ctx, Journal* journal) {
  ApplyResult result;
  PreviewPlan(plan, ctx);
  std::vector<std::unique_ptr<StepRun>> runs;
  for (const Step& step : plan.steps) {
    runs.push_back(std::make_unique<StepRun>(step, ctx, journal));
    StepRun& run = *runs.back();
    Status st = run.Apply();
    if (st.ok()) {
      run.outcome().state = run.outcome().changes.empty() ? StepOutcome::State::kUnchanged
                                                          : StepOutcome::State::kChanged;
      continue;
    }
    result.ok = false;
    result.failed_step = step.id;
    result.error = st.message();
    run.outcome().state = StepOutcome::State::kFailed;
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
      (*it)->Undo(&result.rollback_errors);
      if ((*it)->outcome().state == StepOutcome::State::kChanged)
        (*it)->outcome().state = StepOutcome::State::kRolledBack;
    }
    break;
  }
  for (auto& run : runs) result.steps.push_back(run->outcome());
  for (size_t i = runs.size(); i < plan.steps.size(); ++i)
    result.steps.push_back({plan.steps[i].id, StepOutcome::State::kNotRun, {}, {}});
  // A journal whose files could not all be put back stays for the next run.
  if (result.ok || result.rollback_errors.empty()) journal->Discard();
  return result;
}

}  // namespace hai::install
