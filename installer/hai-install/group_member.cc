#include "installer/hai-install/group_member.h"

#include <algorithm>
#include <optional>

#include "installer/hai-install/accounts.h"

namespace hai::install {
namespace {

// Whether `user` is in `group` of the target's /etc/group; nullopt when the
// group is not there.
Result<std::optional<bool>> IsMember(const RunContext& ctx, const std::string& group,
                                     const std::string& user) {
  HAI_ASSIGN_OR_RETURN(auto members, GroupMembers(ctx.Path("/etc/group"), group));
  if (!members) return std::optional<bool>();
  return std::optional<bool>(std::find(members->begin(), members->end(), user) != members->end());
}

}  // namespace

JoinGroup::JoinGroup(std::string user, std::string group)
    : user_(std::move(user)), group_(std::move(group)) {}

std::string JoinGroup::Describe() const {
  return "add " + user_ + " to group " + group_ + " (usermod -aG " + group_ + " " + user_ + ")";
}

std::string JoinGroup::SkipReason(const RunContext& ctx) {
  auto member = IsMember(ctx, group_, user_);
  // An unreadable file is no reason to skip: InPlace and Apply report it.
  return member.ok() && !member->has_value() ? "group absent" : "";
}

Result<bool> JoinGroup::InPlace(const RunContext& ctx) {
  HAI_ASSIGN_OR_RETURN(auto member, IsMember(ctx, group_, user_));
  return member.value_or(false);
}

Status JoinGroup::EditFiles(const RunContext& ctx, bool member) const {
  HAI_RETURN_IF_ERROR(SetGroupMember(ctx.Path("/etc/group"), group_, user_, member));
  // The shadow file keeps its own member list, which grpck wants to agree.
  auto shadow = GroupMembers(ctx.Path("/etc/gshadow"), group_);
  if (shadow.ok() && shadow->has_value())
    return SetGroupMember(ctx.Path("/etc/gshadow"), group_, user_, member);
  return Status::Ok();
}

Status JoinGroup::Apply(const RunContext& ctx) {
  added_ = false;
  HAI_ASSIGN_OR_RETURN(auto member, IsMember(ctx, group_, user_));
  if (!member) return Status::NotFound("group '" + group_ + "' does not exist");
  if (*member) return Status::Ok();
  if (ctx.live) {
    HAI_RETURN_IF_ERROR(RunChecked(*ctx.system, {"usermod", "-aG", group_, user_}).status());
  } else {
    HAI_RETURN_IF_ERROR(EditFiles(ctx, true));
  }
  added_ = true;
  return Status::Ok();
}

Status JoinGroup::Undo(const RunContext& ctx) {
  if (!added_) return Status::Ok();
  added_ = false;
  if (ctx.live) return RunChecked(*ctx.system, {"gpasswd", "-d", user_, group_}).status();
  return EditFiles(ctx, false);
}

void JoinGroup::Verify(const RunContext& ctx, Checks* checks) {
  const std::string id = "accounts:group:" + group_;
  const std::string expected = user_ + " is a member";
  auto member = IsMember(ctx, group_, user_);
  if (!member.ok()) {
    checks->push_back({id, CheckStatus::kFail, expected, "unreadable", member.status().message()});
  } else if (!member->has_value()) {
    checks->push_back(SkippedCheck(id, expected, "group absent"));
  } else {
    checks->push_back(CompareCheck(id, expected, **member ? expected : user_ + " is not a member",
                                   "run hai-install to add it"));
  }
}

}  // namespace hai::install
