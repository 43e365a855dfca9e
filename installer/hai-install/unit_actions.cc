#include "installer/hai-install/unit_actions.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace hai::install {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string List(const std::vector<std::string>& units) {
  std::string out;
  for (const std::string& u : units) out += (out.empty() ? "" : " ") + u;
  return out;
}

// Directories under ROOT/etc/systemd that exist now (enable makes .wants ones).
std::set<std::string> SystemdDirs(const RunContext& ctx) {
  namespace fs = std::filesystem;
  std::set<std::string> dirs;
  std::error_code ec;
  fs::path top = ctx.Path("/etc/systemd");
  if (!fs::is_directory(top, ec)) return dirs;
  dirs.insert(top.string());
  for (fs::recursive_directory_iterator it(top, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec) && !it->is_symlink(ec)) dirs.insert(it->path().string());
  return dirs;
}

}  // namespace

std::vector<std::string> Systemctl(const RunContext& ctx, std::vector<std::string> args) {
  std::vector<std::string> argv = {"systemctl"};
  if (!ctx.root.empty()) argv.push_back("--root=" + ctx.root);
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string UnitState(const RunContext& ctx, const std::string& query, const std::string& unit) {
  auto result = ctx.system->Run(Systemctl(ctx, {query, unit}));
  if (!result.ok()) return "unknown (" + result.status().message() + ")";
  std::string state = Trim(result->out);
  return state.empty() ? Trim(result->err) : state;
}

EnableUnits::EnableUnits(std::vector<std::string> units) : units_(std::move(units)) {}

std::string EnableUnits::Describe() const { return "systemctl enable " + List(units_); }

Result<bool> EnableUnits::InPlace(const RunContext& ctx) {
  for (const std::string& u : units_)
    if (UnitState(ctx, "is-enabled", u) != "enabled") return false;
  return true;
}

Status EnableUnits::Apply(const RunContext& ctx) {
  enabled_.clear();
  for (const std::string& u : units_)
    if (UnitState(ctx, "is-enabled", u) != "enabled") enabled_.push_back(u);
  if (enabled_.empty()) return Status::Ok();
  dirs_before_ = SystemdDirs(ctx);
  // The package installed the unit files; the manager must know them first.
  if (ctx.root.empty())
    HAI_RETURN_IF_ERROR(RunChecked(*ctx.system, {"systemctl", "daemon-reload"}).status());
  std::vector<std::string> args = {"enable"};
  args.insert(args.end(), enabled_.begin(), enabled_.end());
  return RunChecked(*ctx.system, Systemctl(ctx, args)).status();
}

Status EnableUnits::Undo(const RunContext& ctx) {
  if (enabled_.empty()) return Status::Ok();
  std::vector<std::string> args = {"disable"};
  args.insert(args.end(), enabled_.begin(), enabled_.end());
  Status st = RunChecked(*ctx.system, Systemctl(ctx, args)).status();
  // Longest first: children before their parents.
  std::set<std::string> now = SystemdDirs(ctx);
  std::vector<std::string> made;
  for (const std::string& d : now)
    if (!dirs_before_.contains(d)) made.push_back(d);
  std::sort(made.begin(), made.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& d : made) rmdir(d.c_str());
  return st;
}

void EnableUnits::Verify(const RunContext& ctx, Checks* checks) {
  for (const std::string& u : units_)
    checks->push_back(
        CompareCheck("unit:" + u + ":enabled", "enabled", UnitState(ctx, "is-enabled", u)));
}

StartUnits::StartUnits(std::vector<std::string> units) : units_(std::move(units)) {}

std::string StartUnits::Describe() const { return "systemctl start " + List(units_); }

Result<bool> StartUnits::InPlace(const RunContext& ctx) {
  for (const std::string& u : units_)
    if (UnitState(ctx, "is-active", u) != "active") return false;
  return true;
}

Status StartUnits::Apply(const RunContext& ctx) {
  started_.clear();
  for (const std::string& u : units_)
    if (UnitState(ctx, "is-active", u) != "active") started_.push_back(u);
  if (started_.empty()) return Status::Ok();
  std::vector<std::string> args = {"start"};
  args.insert(args.end(), started_.begin(), started_.end());
  return RunChecked(*ctx.system, Systemctl(ctx, args)).status();
}

Status StartUnits::Undo(const RunContext& ctx) {
  if (started_.empty()) return Status::Ok();
  std::vector<std::string> args = {"stop"};
  args.insert(args.end(), started_.begin(), started_.end());
  return RunChecked(*ctx.system, Systemctl(ctx, args)).status();
}

void StartUnits::Verify(const RunContext& ctx, Checks* checks) {
  for (const std::string& u : units_) {
    std::string id = "unit:" + u + ":active";
    if (!ctx.live) {
      checks->push_back(SkippedCheck(id, "active", "--root"));
      continue;
    }
    checks->push_back(CompareCheck(id, "active", UnitState(ctx, "is-active", u)));
  }
}

}  // namespace hai::install
