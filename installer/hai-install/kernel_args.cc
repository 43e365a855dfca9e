#include "installer/hai-install/kernel_args.h"

#include <algorithm>
#include <sstream>

namespace hai::install {
namespace {

std::string KeyOf(const std::string& arg) { return arg.substr(0, arg.find('=')); }

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

GrubbyArgs::GrubbyArgs(std::vector<std::string> args) : args_(std::move(args)) {}

std::string GrubbyArgs::Describe() const {
  return "grubby --update-kernel=ALL --args=\"" + Join(args_) + "\" (after a reboot)";
}

Result<std::string> GrubbyArgs::DefaultArgs(const RunContext& ctx) const {
  HAI_ASSIGN_OR_RETURN(CommandResult info, RunChecked(*ctx.system, {"grubby", "--info=DEFAULT"}));
  std::istringstream in(info.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("args=", 0) != 0) continue;
    std::string value = line.substr(5);
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::string();
}

Result<bool> GrubbyArgs::InPlace(const RunContext& ctx) {
  auto current = DefaultArgs(ctx);
  if (!current.ok()) return false;
  std::vector<std::string> words = SplitWords(*current);
  for (const std::string& a : args_)
    if (std::find(words.begin(), words.end(), a) == words.end()) return false;
  return true;
}

Status GrubbyArgs::Apply(const RunContext& ctx) {
  HAI_ASSIGN_OR_RETURN(std::string current, DefaultArgs(ctx));
  old_.clear();
  for (const std::string& word : SplitWords(current))
    for (const std::string& a : args_)
      if (KeyOf(word) == KeyOf(a)) old_.push_back(word);
  HAI_RETURN_IF_ERROR(
      RunChecked(*ctx.system, {"grubby", "--update-kernel=ALL", "--args=" + Join(args_)}).status());
  applied_ = true;
  return Status::Ok();
}

Status GrubbyArgs::Undo(const RunContext& ctx) {
  if (!applied_) return Status::Ok();
  std::vector<std::string> keys;
  for (const std::string& a : args_) keys.push_back(KeyOf(a));
  HAI_RETURN_IF_ERROR(
      RunChecked(*ctx.system, {"grubby", "--update-kernel=ALL", "--remove-args=" + Join(keys)})
          .status());
  if (old_.empty()) return Status::Ok();
  return RunChecked(*ctx.system, {"grubby", "--update-kernel=ALL", "--args=" + Join(old_)})
      .status();
}

KernelCmdline::KernelCmdline(std::vector<std::string> args) : args_(std::move(args)) {}

void KernelCmdline::Verify(const RunContext& ctx, Checks* checks) {
  for (const std::string& a : args_) {
    std::string id = "cmdline:" + KeyOf(a);
    if (!ctx.live) {
      checks->push_back(SkippedCheck(id, a, "--root"));
      continue;
    }
    auto cmdline = ctx.system->ReadLive("/proc/cmdline");
    std::string actual;
    if (cmdline.ok())
      for (const std::string& word : SplitWords(*cmdline))
        if (KeyOf(word) == KeyOf(a)) actual = word;
    Check c = LiveCheck(id, a, actual, ctx.in_container);
    if (c.status == CheckStatus::kFail)
      c.detail = "the running kernel was booted without it: reboot to apply";
    checks->push_back(c);
  }
}

}  // namespace hai::install
