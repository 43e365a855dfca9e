#include "installer/hai-install/follow_command.h"

namespace hai::install {

FollowCommand::FollowCommand(std::vector<std::string> argv, std::vector<std::string> follows,
                             bool kernel)
    : argv_(std::move(argv)), follows_(std::move(follows)), kernel_(kernel) {}

std::string FollowCommand::Describe() const {
  std::string steps;
  for (const std::string& s : follows_) steps += (steps.empty() ? "" : ", ") + s;
  return CommandLine(argv_) + " (when " + steps + " changed)";
}

Result<bool> FollowCommand::InPlace(const RunContext& ctx) {
  for (const std::string& s : follows_)
    if (ctx.StepChanged(s)) return false;
  return true;
}

Status FollowCommand::Apply(const RunContext& ctx) {
  HAI_RETURN_IF_ERROR(RunChecked(*ctx.system, argv_).status());
  ran_ = true;
  return Status::Ok();
}

// When it failed, the system did not take the new files either.
Status FollowCommand::Undo(const RunContext& ctx) {
  if (!ran_) return Status::Ok();
  return RunChecked(*ctx.system, argv_).status();
}

}  // namespace hai::install
