#include "installer/hai-install/verify.h"

#include <set>

#include "installer/hai-install/file_state.h"
#include "lib/base/random.h"

namespace hai::install {
namespace {

std::string Owner(const Accounts& accounts, uid_t uid, gid_t gid) {
  return accounts.UserName(uid) + ":" + accounts.GroupName(gid);
}

// What a file is, as a line: kind, mode, owner, and for files a short hash
// of the content (never of a secret's).
std::string Describe(bool is_dir, mode_t mode, const std::string& owner, const std::string& content,
                     bool secret) {
  std::string text = std::string(is_dir ? "directory " : "file ") + ModeText(mode) + " " + owner;
  if (!is_dir) text += secret ? " (secret)" : " sha256:" + Sha256Hex(content).substr(0, 12);
  return text;
}

}  // namespace

Check FileCheck(const FileSpec& spec, const RunContext& ctx, const Accounts& accounts) {
  Check c;
  c.id = "file:" + spec.path;
  const bool is_dir = spec.kind == FileSpec::Kind::kDirectory;
  c.expected =
      spec.kind == FileSpec::Kind::kAbsent
          ? "absent"
          : Describe(is_dir, spec.mode, spec.owner + ":" + spec.group, spec.content, spec.secret);
  auto state = ReadFileState(ctx.Path(spec.path));
  if (!state.ok()) {
    c.status = CheckStatus::kFail;
    c.actual = "unreadable";
    c.detail = state.status().message();
    return c;
  }
  c.actual = !state->exists
                 ? "absent"
                 : Describe(state->is_dir, state->mode, Owner(accounts, state->uid, state->gid),
                            state->content, spec.secret);
  FileChange change = CompareFile(spec, *state);
  if (change == FileChange::kUnchanged) return c;
  c.status = CheckStatus::kFail;
  if (change == FileChange::kCreate) {
    c.detail = "missing";
  } else if (change == FileChange::kRemove) {
    c.detail = "should not exist";
  } else if (change == FileChange::kReplace) {
    c.detail = state->is_dir != is_dir ? "wrong kind of file" : "content differs";
  } else {
    if (state->mode != (spec.mode & 07777)) c.detail = "mode differs";
    if (state->uid != spec.uid || state->gid != spec.gid)
      c.detail += std::string(c.detail.empty() ? "" : ", ") + "owner differs";
  }
  return c;
}

Checks VerifyPlan(const Plan& plan, const RunContext& ctx, const Accounts& accounts) {
  Checks checks;
  std::set<std::string> seen;
  for (const Step& step : plan.steps) {
    for (const FileSpec& spec : step.files) {
      Check c = FileCheck(spec, ctx, accounts);
      if (seen.insert(c.id).second) checks.push_back(c);
    }
  }
  for (const Step& step : plan.steps) {
    for (const auto& action : step.actions) action->Verify(ctx, &checks);
    for (const auto& probe : step.probes) probe->Verify(ctx, &checks);
  }
  return checks;
}

}  // namespace hai::install
