#pragma once

// A System for unit tests: the tools' state kept in memory (units enabled
// and active, the nft table, live kernel values), every command recorded,
// and any command or live write made to fail on purpose.

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "installer/hai-install/run_context.h"
#include "installer/hai-install/system.h"
#include "installer/hai-install/tuning_profile.h"

namespace hai::install {

class FakeSystem : public System {
 public:
  using System::Run;
  Result<CommandResult> Run(const std::vector<std::string>& argv,
                            const std::string& input) override;
  Result<std::string> ReadLive(const std::string& path) override;
  Status WriteLive(const std::string& path, const std::string& value) override;
  Result<std::vector<std::string>> ListLive(const std::string& dir) override;
  bool InContainer() override { return container; }
  std::string HostAddress() override { return address; }

  // Commands run so far, as command lines.
  std::vector<std::string> commands;
  // Commands that changed something (not is-enabled, is-active, nft list …).
  std::vector<std::string> changes;
  // /proc and /sys: path → content.
  std::map<std::string, std::string> live;
  // Live writes to these paths fail (EACCES, as in a container).
  std::set<std::string> read_only;
  // A command whose line contains this fails with exit 1.
  std::string fail_when;
  bool container = false;
  std::string address = "10.0.0.1";

  std::set<std::string> enabled;
  std::set<std::string> active;
  std::string nft_table;  // "" = not loaded
  // The /etc/group that usermod -aG and gpasswd -d edit ("" = none).
  std::string group_file;
  // What the udev rule does to the disks when triggered.
  std::function<void()> on_udev_trigger;

  // Typical live values of a fresh host (THP always, default sysctls, disks).
  void SeedHost();
  // SeedHost, plus every sysctl of `profile` present (as on a real kernel),
  // and udev applying our rule when triggered: the rotational disk gets
  // mq-deadline.
  void SeedTunableHost(const TuningProfile& profile);
};

// What the executor and verify are given in tests: live actions (when `live`)
// go to `system`.
RunContext TestContext(FakeSystem* system, const std::string& root, bool live);

}  // namespace hai::install
