#pragma once

#include <ostream>
#include <string>

#include "installer/hai-install/system.h"

namespace hai::install {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // apply failed (rolled back) or a check failed
inline constexpr int kExitUsage = 2;
inline constexpr int kExitConfig = 78;  // bad install config: nothing changed

struct CliOptions {
  std::string config;        // --config FILE
  std::string root;          // --root DIR ("" = this host)
  std::string profiles_dir;  // --profiles-dir DIR (holds tuning/ and nodes/)
  bool dry_run = false;
  bool verify = false;
  bool json = false;
  bool no_start = false;
};

// hai-install from its parsed flags to its exit code: reads and checks the
// install config, builds the plan, then prints it (--dry-run), checks it
// (--verify) or applies it. Reports go to `out`, errors to `err`.
int RunInstaller(const CliOptions& options, System& system, std::ostream& out, std::ostream& err);

// Where the profiles are: the flag; else build/share/hai/profiles beside a
// build tree's binary; else ROOT/usr/share/hai/profiles; else the host's.
std::string ResolveProfilesDir(const std::string& flag, const std::string& root);

}  // namespace hai::install
