// Step "hai-config": /etc/hai/hai.toml (0640 root:hai), the daemons' one
// configuration file (hai_toml.cc renders it).
#include <unistd.h>

#include "installer/hai-install/hai_toml.h"
#include "installer/hai-install/settings.h"

namespace hai::install {
namespace {

// A profiles/nodes name → its installed path; a path stays as it is.
Result<std::string> AgentProfilePath(const PlanInput& in) {
  const InstallConfig& c = in.config;
  const std::string& p = c.agent_profile;
  if (p.empty()) return std::string();
  if (p.find('/') != std::string::npos) {
    if (p.front() != '/') return ConfigError(c.source, "agent.profile", "a path must be absolute");
    if (access(in.Path(p).c_str(), R_OK) != 0)
      return ConfigError(c.source, "agent.profile", "cannot read " + in.Path(p));
    return p;
  }
  if (access((in.profiles_dir + "/nodes/" + p + ".toml").c_str(), R_OK) != 0)
    return ConfigError(c.source, "agent.profile",
                       "no hardware profile '" + p + "' in " + in.profiles_dir + "/nodes");
  return std::string(kInstalledProfiles) + "/nodes/" + p + ".toml";
}

}  // namespace

Result<Step> PlanHaiConfig(const PlanInput& in) {
  HaiTomlInputs extra;
  HAI_ASSIGN_OR_RETURN(extra.agent_profile_path, AgentProfilePath(in));
  const InstallConfig& c = in.config;
  extra.has_ca = c.tls_mode == TlsMode::kSelfSigned ||
                 (c.tls_mode == TlsMode::kProvided && !c.tls_ca_file.empty());
  Step step;
  step.id = "hai-config";
  step.description = std::string(kHaiToml) + " for a " + RoleName(c.role) + " node";
  step.files.push_back(FileSpec::Directory("/etc/hai", 0750, "root", "hai"));
  step.files.push_back(FileSpec::File(kHaiToml, RenderHaiToml(in, extra), 0640, "root", "hai"));
  return step;
}

}  // namespace hai::install
