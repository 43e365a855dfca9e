// hai-engine: HAI's CPU inference engine with an OpenAI-compatible API.
#include <csignal>

#include "daemons/engine/engine_app.h"
#include "daemons/engine/engine_config.h"
#include "lib/log/log.h"
#include "lib/systemd/notify.h"
#include "lib/systemd/signals.h"

int main(int argc, char** argv) {
  using namespace hai;
  engine::EngineConfig config;
  if (auto code = engine::ParseEngineFlags(argc, argv, &config)) return *code;
  bool level_ok = true;
  log::Init("hai-engine", log::ParseLevel(config.log_level, &level_ok));
  std::signal(SIGPIPE, SIG_IGN);  // a client gone mid-write is an error value, not a death

  systemd::SignalWaiter signals;  // before any thread starts, so all inherit the mask
  engine::EngineApp app(config);
  if (Status st = app.Start(); !st.ok()) {
    log::Error("cannot start", {{"error", st.message()}});
    return 1;
  }
  systemd::NotifyStatus("loading " + config.model_dir);
  if (Status st = app.Load(); !st.ok()) {
    log::Error("cannot load the model", {{"dir", config.model_dir}, {"error", st.message()}});
    return 1;
  }
  if (!config.ready_file.empty()) systemd::WriteReadyFile(config.ready_file, app.port());
  systemd::NotifyStatus("serving " + config.served_name);
  systemd::NotifyReady();
  auto period = std::min(systemd::WatchdogPingInterval().value_or(std::chrono::milliseconds(1000)),
                         std::chrono::milliseconds(500));
  int sig = signals.Wait(period, [] { systemd::NotifyWatchdog(); });
  log::Info("stopping", {{"signal", sig}});
  systemd::NotifyStopping();
  app.Stop();
  return 0;
}
