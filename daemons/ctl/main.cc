// haictl: the HAI command line — the embedded launcher and console tasks.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "daemons/ctl/admin_commands.h"
#include "daemons/ctl/demo_command.h"
#include "daemons/ctl/embedded.h"
#include "lib/log/log.h"
#include "lib/proc/child.h"

namespace {

std::string DefaultDataDir() {
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/root") + "/.hai/embedded";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hai;
  CLI::App cli{"haictl: HAI command line"};
  cli.require_subcommand(1);
  std::string output = "text";
  cli.add_option("-o,--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));

  ctl::UpOptions up;
  up.data_dir = DefaultDataDir();
  CLI::App* up_cmd = cli.add_subcommand(
      "up", "Start every daemon on 127.0.0.1 (embedded default) until Ctrl-C or SIGTERM");
  up_cmd->add_option("--data", up.data_dir, "data directory (created if missing)");
  up_cmd->add_option("--base-port", up.base_port,
                     "portal on N, gateway N+1, scheduler N+2, finetune N+3, evaluator N+4, "
                     "agents N+10.., engines N+100..")
      ->check(CLI::Range(1024, 65000));
  up_cmd->add_option("--log-level", up.log_level, "debug, info, warning or error");
  up_cmd->add_option("--web-dir", up.web_dir,
                     "serve the portal's web UI from this folder (default: the built one)");

  CLI::App* admin = cli.add_subcommand("admin", "Console administration");
  admin->require_subcommand(1);
  std::string data_dir = "/var/lib/hai", username = "admin";
  CLI::App* reset = admin->add_subcommand("reset-password", "Set a new random password for a user");
  reset->add_option("--data", data_dir, "data directory holding hai.db");
  reset->add_option("--user", username, "whose password (default admin)");

  CLI::App* db = cli.add_subcommand("db", "Database tasks");
  db->require_subcommand(1);
  std::string out_path;
  CLI::App* backup = db->add_subcommand("backup", "Copy the live database consistently");
  backup->add_option("--data", data_dir, "data directory holding hai.db");
  backup->add_option("--out", out_path, "backup file to create")->required();

  ctl::DemoOptions demo;
  CLI::App* demo_cmd = cli.add_subcommand(
      "demo", "Deploy the demo model on an installed cluster (run on the control node)");
  demo_cmd->add_option("--portal", demo.portal_url, "the portal's URL (http:// or https://)");
  demo_cmd->add_option("--ca-file", demo.ca_file, "CA certificate for an https:// portal");
  demo_cmd->add_option("--data", demo.data_dir, "the portal's data directory");
  demo_cmd->add_option("--password-file", demo.password_file,
                       "the admin's first-start password (default <data>/admin-password)");
  demo_cmd->add_option("--run-as", demo.run_as,
                       "user that writes the demo weights (\"\" = the caller)");
  demo_cmd->add_option("--vendor", demo.vendor,
                       "vendor of the replica's device (default: one the cluster has free)");
  demo_cmd->add_option("--timeout", demo.timeout_s, "seconds to wait for a Ready replica")
      ->check(CLI::Range(1, 3600));

  CLI11_PARSE(cli, argc, argv);
  log::Init("haictl", log::Level::kInfo);

  if (*up_cmd) {
    up.bin_dir = proc::SelfDirectory();
    up.share_dir = ctl::FindShareDir(up.bin_dir);
    return ctl::RunUp(up);
  }
  if (*demo_cmd) {
    demo.bin_dir = proc::SelfDirectory();
    return ctl::RunDemo(demo);
  }
  if (*reset) {
    auto password = ctl::ResetPassword(data_dir, username);
    if (!password.ok()) {
      std::fprintf(stderr, "haictl: %s\n", password.status().message().c_str());
      return 1;
    }
    if (output == "json")
      std::printf("%s\n", nlohmann::json({{"user", username}, {"password", *password}}).dump().c_str());
    else
      std::printf("new password for %s: %s\n", username.c_str(), password->c_str());
    return 0;
  }
  if (*backup) {
    Status st = ctl::BackupDatabase(data_dir, out_path);
    if (!st.ok()) {
      std::fprintf(stderr, "haictl: %s\n", st.message().c_str());
      return 1;
    }
    std::printf("backed up %s/hai.db to %s\n", data_dir.c_str(), out_path.c_str());
    return 0;
  }
  return 0;
}
