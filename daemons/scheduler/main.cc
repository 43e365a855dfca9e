// hai-scheduler: node registry, placement and binding.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "daemons/scheduler/scheduler_app.h"
#include "lib/log/log.h"
#include "lib/systemd/notify.h"
#include "lib/systemd/signals.h"

int main(int argc, char** argv) {
  using namespace hai;
  CLI::App cli{"hai-scheduler: HAI node registry, placement and binding"};
  std::string config_path, data_dir, ready_file;
  int port = -1;
  cli.add_option("--config", config_path, "hai.toml to read (default: built-in defaults)");
  cli.add_option("--data-dir", data_dir, "data directory (overrides scheduler.data_dir)");
  cli.add_option("--port", port, "port, 0 for any free one (overrides scheduler.port)");
  cli.add_option("--ready-file", ready_file, "write {\"port\":N} here once serving");
  CLI11_PARSE(cli, argc, argv);

  scheduler::SchedulerConfig config;
  if (!config_path.empty()) {
    auto file = config::File::Load(config_path);
    auto parsed = file.ok() ? scheduler::ReadSchedulerConfig(*file)
                            : Result<scheduler::SchedulerConfig>(file.status());
    if (!parsed.ok()) {
      std::fprintf(stderr, "hai-scheduler: %s\n", parsed.status().message().c_str());
      return config::kExitConfig;
    }
    config = *parsed;
  }
  if (!data_dir.empty()) config.data_dir = data_dir;
  if (port >= 0) config.port = port;
  bool level_ok = true;
  log::Init("hai-scheduler", log::ParseLevel(config.log_level, &level_ok));

  systemd::SignalWaiter signals;
  auto app = scheduler::SchedulerApp::Create(config, SystemClock::Get());
  if (!app.ok()) {
    log::Error("cannot start", {{"error", app.status().message()}});
    return 1;
  }
  if (Status st = (*app)->Start(); !st.ok()) {
    log::Error("cannot start", {{"error", st.message()}});
    return 1;
  }
  if (!ready_file.empty()) systemd::WriteReadyFile(ready_file, (*app)->port());
  systemd::NotifyReady();
  auto period = std::min(systemd::WatchdogPingInterval().value_or(std::chrono::milliseconds(1000)),
                         std::chrono::milliseconds(500));
  int sig = signals.Wait(period, [&] {
    systemd::NotifyWatchdog();
    (*app)->Tick();
  });
  log::Info("stopping", {{"signal", sig}});
  systemd::NotifyStopping();
  (*app)->Stop();
  return 0;
}
