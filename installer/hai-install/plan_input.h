#pragma once

#include <ctime>
#include <string>

#include "installer/hai-install/install_config.h"
#include "installer/hai-install/target.h"
#include "installer/hai-install/tuning_profile.h"

namespace hai::install {

// Everything the settings are planned from.
struct PlanInput {
  InstallConfig config;
  TuningProfile tuning;
  std::string root;  // "" = this host
  Distro distro = Distro::kDebian;
  std::string profiles_dir;  // holds tuning/ and nodes/
  bool start_units = true;   // false with --no-start or --root
  time_t now = 0;            // for certificate validity

  std::string Path(const std::string& absolute) const { return root + absolute; }
};

// The installed locations the daemons read (hai.toml names them).
inline constexpr char kHaiToml[] = "/etc/hai/hai.toml";
inline constexpr char kTlsDir[] = "/etc/hai/tls";
inline constexpr char kTlsCert[] = "/etc/hai/tls/hai.crt";
inline constexpr char kTlsKey[] = "/etc/hai/tls/hai.key";
inline constexpr char kTlsCa[] = "/etc/hai/tls/ca.crt";
inline constexpr char kInstalledProfiles[] = "/usr/share/hai/profiles";

}  // namespace hai::install
