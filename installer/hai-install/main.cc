// hai-install: provisions one appliance node from its install config
// (docs/hai-install.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "installer/hai-install/installer_cli.h"
#include "installer/hai-install/real_system.h"

int main(int argc, char** argv) {
  using namespace hai::install;
  CLI::App cli{"hai-install: provision this node of a HAI appliance from its install config"};
  CliOptions options;
  cli.add_option("--config", options.config, "install config (TOML), e.g. /etc/hai/install.toml")
      ->required();
  cli.add_option("--root", options.root, "install into this directory instead of the host");
  cli.add_option("--profiles-dir", options.profiles_dir,
                 "profiles (tuning/, nodes/) instead of the installed ones");
  cli.add_flag("--dry-run", options.dry_run, "print the plan and change nothing");
  cli.add_flag("--verify", options.verify, "check every setting and print a report");
  cli.add_flag("--json", options.json, "JSON output");
  cli.add_flag("--no-start", options.no_start, "enable the units but do not start them");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return kExitUsage;
  }
  RealSystem system;
  return RunInstaller(options, system, std::cout, std::cerr);
}
