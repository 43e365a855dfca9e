// hai-gateway: OpenAI-compatible serving in front of the engine replicas.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "daemons/gateway/gateway_app.h"
#include "lib/log/log.h"
#include "lib/systemd/notify.h"
#include "lib/systemd/signals.h"

int main(int argc, char** argv) {
  using namespace hai;
  CLI::App cli{"hai-gateway: HAI's OpenAI-compatible gateway"};
  std::string config_path, ready_file;
  int port = -1;
  cli.add_option("--config", config_path, "hai.toml to read (default: built-in defaults)");
  cli.add_option("--port", port, "port, 0 for any free one (overrides gateway.port)");
  cli.add_option("--ready-file", ready_file, "write {\"port\":N} here once serving");
  CLI11_PARSE(cli, argc, argv);

  gateway::GatewayConfig config;
  if (!config_path.empty()) {
    auto file = config::File::Load(config_path);
    auto parsed = file.ok() ? gateway::ReadGatewayConfig(*file)
                            : Result<gateway::GatewayConfig>(file.status());
    if (!parsed.ok()) {
      std::fprintf(stderr, "hai-gateway: %s\n", parsed.status().message().c_str());
      return config::kExitConfig;
    }
    config = *parsed;
  }
  if (port >= 0) config.port = port;
  bool level_ok = true;
  log::Init("hai-gateway", log::ParseLevel(config.log_level, &level_ok));

  systemd::SignalWaiter signals;
  auto app = gateway::GatewayApp::Create(config, SystemClock::Get());
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
  systemd::NotifyStatus("serving");
  auto period = std::min(systemd::WatchdogPingInterval().value_or(std::chrono::milliseconds(1000)),
                         std::chrono::milliseconds(1000));
  int sig = signals.Wait(period, [] { systemd::NotifyWatchdog(); });
  log::Info("stopping", {{"signal", sig}});
  systemd::NotifyStopping();
  (*app)->Stop();
  return 0;
}
