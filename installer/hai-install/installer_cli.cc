#include "installer/hai-install/installer_cli.h"

#include <ctime>
#include <filesystem>

#include "installer/hai-install/apply_report.h"
#include "installer/hai-install/executor.h"
#include "installer/hai-install/install_config.h"
#include "installer/hai-install/journal.h"
#include "installer/hai-install/plan_builder.h"
#include "installer/hai-install/plan_report.h"
#include "installer/hai-install/verify.h"
#include "installer/hai-install/verify_report.h"
#include "lib/config/config_file.h"
#include "lib/proc/child.h"

namespace hai::install {
namespace {

namespace fs = std::filesystem;

// A problem of the install config (or of what it names): exit 78.
bool IsConfigError(const Status& st) {
  return st.code() == Code::kInvalidArgument && !st.field().empty();
}

Result<std::string> NormaliseRoot(const std::string& root) {
  if (root.empty()) return std::string();
  std::error_code ec;
  fs::path path = fs::canonical(root, ec);
  if (ec || !fs::is_directory(path, ec))
    return Status::InvalidArgument("--root " + root + ": not a directory");
  return path == "/" ? std::string() : path.string();
}

Result<TuningProfile> LoadProfile(const InstallConfig& config, const std::string& profiles_dir) {
  const std::string dir = profiles_dir + "/tuning";
  auto profile = LoadTuningProfile(dir, config.tuning_profile);
  if (profile.ok()) return profile;
  if (profile.status().code() == Code::kNotFound) {
    std::string names;
    for (const std::string& n : TuningProfileNames(dir)) names += (names.empty() ? "" : ", ") + n;
    return ConfigError(config.source, "tuning.profile",
                       "no profile '" + config.tuning_profile + "' in " + dir +
                           (names.empty() ? "" : " (profiles: " + names + ")"));
  }
  // A broken profile file: its message names the file and the key.
  return Status::InvalidArgument(profile.status().message(), "tuning.profile");
}

int Apply(const Plan& plan, RunContext* ctx, bool json, std::ostream& out, std::ostream& err) {
  Journal journal(ctx->root);
  std::vector<std::string> errors;
  auto recovered = journal.RecoverLeftover(&errors);
  if (!recovered.ok() || !errors.empty()) {
    err << "hai-install: an interrupted run left " << journal.Dir()
        << " and it could not be put back:\n";
    if (!recovered.ok()) err << "    " << recovered.status().message() << "\n";
    for (const std::string& e : errors) err << "    " << e << "\n";
    return kExitFailed;
  }
  if (*recovered > 0)
    err << "hai-install: put back " << *recovered << " changes an interrupted run left in "
        << journal.Dir() << "\n";
  ApplyResult result = ApplyPlan(plan, ctx, &journal);
  out << (json ? RenderApplyJson(result) : RenderApplyHuman(result));
  if (!result.ok)
    err << "hai-install: step " << result.failed_step << " failed: " << result.error
        << (result.rollback_errors.empty() ? "; everything was rolled back\n"
                                           : "; rollback incomplete\n");
  return result.ok ? kExitOk : kExitFailed;
}

}  // namespace

std::string ResolveProfilesDir(const std::string& flag, const std::string& root) {
  if (!flag.empty()) return flag;
  std::error_code ec;
  fs::path staged = fs::path(proc::SelfDirectory()).parent_path() / "share" / "hai" / "profiles";
  if (fs::is_directory(staged / "tuning", ec)) return staged.string();
  if (!root.empty() && fs::is_directory(root + "/usr/share/hai/profiles/tuning", ec))
    return root + "/usr/share/hai/profiles";
  return "/usr/share/hai/profiles";
}

int RunInstaller(const CliOptions& options, System& system, std::ostream& out, std::ostream& err) {
  if (options.dry_run && options.verify) {
    err << "hai-install: --dry-run and --verify do not go together\n";
    return kExitUsage;
  }
  auto root = NormaliseRoot(options.root);
  if (!root.ok()) {
    err << "hai-install: " << root.status().message() << "\n";
    return kExitUsage;
  }
  auto file = config::File::Load(options.config);
  if (!file.ok()) {
    err << "hai-install: " << file.status().message() << "\n";
    return kExitConfig;
  }
  auto config = ReadInstallConfig(*file, system.HostAddress());
  if (!config.ok()) {
    err << "hai-install: " << config.status().message() << "\n";
    return kExitConfig;
  }
  PlanInput in;
  in.config = *config;
  in.root = *root;
  in.profiles_dir = ResolveProfilesDir(options.profiles_dir, *root);
  auto tuning = LoadProfile(in.config, in.profiles_dir);
  if (!tuning.ok()) {
    err << "hai-install: " << tuning.status().message() << "\n";
    return kExitConfig;
  }
  in.tuning = *tuning;
  in.distro = DetectDistro(in.root);
  in.start_units = !options.no_start && in.root.empty();
  in.now = time(nullptr);
  Accounts accounts = Accounts::Load(in.root);
  auto plan = BuildPlan(in, accounts);
  if (!plan.ok()) {
    err << "hai-install: " << (IsConfigError(plan.status()) ? "" : "cannot plan: ")
        << plan.status().message() << "\n";
    return IsConfigError(plan.status()) ? kExitConfig : kExitFailed;
  }

  RunContext ctx;
  ctx.system = &system;
  ctx.root = in.root;
  ctx.live = in.root.empty();
  ctx.in_container = ctx.live && system.InContainer();
  if (options.verify) {
    Checks checks = VerifyPlan(*plan, ctx, accounts);
    out << (options.json ? RenderChecksJson(checks) : RenderChecksHuman(checks));
    return AllGood(checks) ? kExitOk : kExitFailed;
  }
  if (options.dry_run) {
    std::vector<StepPreview> previews = PreviewPlan(*plan, &ctx);
    out << (options.json ? RenderPlanJson(*plan, previews) : RenderPlanHuman(*plan, previews));
    return kExitOk;
  }
  return Apply(*plan, &ctx, options.json, out, err);
}

}  // namespace hai::install
