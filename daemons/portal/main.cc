// hai-portal: management API, identity, audit, and the web UI.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "daemons/portal/portal_app.h"
#include "lib/log/log.h"
#include "lib/systemd/notify.h"
#include "lib/systemd/signals.h"

int main(int argc, char** argv) {
  using namespace hai;
  CLI::App cli{"hai-portal: HAI management API and web portal"};
  std::string config_path, data_dir, listen, web_dir, openapi, ready_file, log_level;
  int port = -1;
  cli.add_option("--config", config_path, "hai.toml to read (default: built-in defaults)");
  cli.add_option("--data-dir", data_dir, "data directory (overrides portal.data_dir)");
  cli.add_option("--listen", listen, "address to listen on (overrides portal.listen)");
  cli.add_option("--port", port, "port, 0 for any free one (overrides portal.port)");
  cli.add_option("--web-dir", web_dir, "built web UI to serve (overrides portal.web_dir)");
  cli.add_option("--openapi", openapi, "OpenAPI document (overrides portal.openapi_file)");
  cli.add_option("--ready-file", ready_file, "write {\"port\":N} here once serving");
  cli.add_option("--log-level", log_level, "debug, info, warning or error");
  CLI11_PARSE(cli, argc, argv);

  portal::PortalConfig config;
  if (!config_path.empty()) {
    auto file = config::File::Load(config_path);
    auto parsed = file.ok() ? portal::ReadPortalConfig(*file) : Result<portal::PortalConfig>(file.status());
    if (!parsed.ok()) {
      std::fprintf(stderr, "hai-portal: %s\n", parsed.status().message().c_str());
      return config::kExitConfig;
    }
    config = *parsed;
  }
  if (!data_dir.empty()) config.data_dir = data_dir;
  if (!listen.empty()) config.listen = listen;
  if (port >= 0) config.port = port;
  if (!web_dir.empty()) config.web_dir = web_dir;
  if (!openapi.empty()) config.openapi_file = openapi;
  if (!log_level.empty()) config.log_level = log_level;
  if (Status st = portal::ValidatePortalConfig(config, config_path.empty() ? "flags" : config_path);
      !st.ok()) {
    std::fprintf(stderr, "hai-portal: %s\n", st.message().c_str());
    return config::kExitConfig;
  }
  bool level_ok = true;
  log::Init("hai-portal", log::ParseLevel(config.log_level, &level_ok));

  systemd::SignalWaiter signals;  // before any thread starts
  systemd::NotifyStatus("opening database");
  auto app = portal::PortalApp::Create(config, SystemClock::Get());
  if (!app.ok()) {
    log::Error("cannot start", {{"error", app.status().message()}});
    return 1;
  }
  // Printed once for a person at a console; under systemd it would land in the
  // journal, so there only the file's path is logged.
  if (!(*app)->initial_password().empty() && !std::getenv("JOURNAL_STREAM"))
    std::fprintf(stderr, "hai-portal: first start: user 'admin', password '%s' (also in %s)\n",
                 (*app)->initial_password().c_str(), config.InitialPasswordPath().c_str());
  if (Status st = (*app)->Start(); !st.ok()) {
    log::Error("cannot start", {{"error", st.message()}});
    return 1;
  }
  if (!ready_file.empty()) systemd::WriteReadyFile(ready_file, (*app)->port());
  systemd::NotifyReady();
  systemd::NotifyStatus("serving");
  auto period = systemd::WatchdogPingInterval().value_or(std::chrono::milliseconds(1000));
  period = std::min(period, std::chrono::milliseconds(1000));
  int sig = signals.Wait(period, [&] {
    systemd::NotifyWatchdog();
    (*app)->Tick();
  });
  log::Info("stopping", {{"signal", sig}});
  systemd::NotifyStopping();
  (*app)->Stop();
  return 0;
}
