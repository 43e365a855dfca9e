// hai-agent: this node's accelerators, their health, and its link to the scheduler.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "daemons/agent/agent_app.h"
#include "lib/log/log.h"
#include "lib/systemd/notify.h"
#include "lib/systemd/signals.h"

int main(int argc, char** argv) {
  using namespace hai;
  CLI::App cli{"hai-agent: HAI node agent (inventory, health, scheduler link, engine replicas)"};
  std::string config_path, node_name, profile, ready_file;
  cli.add_option("--config", config_path, "hai.toml to read (default: built-in defaults)");
  cli.add_option("--node-name", node_name, "this node's name (overrides agent.node_name)");
  cli.add_option("--profile", profile, "simulate this hardware profile (overrides agent.profile)");
  cli.add_option("--ready-file", ready_file, "write {\"port\":N} here once serving");
  CLI11_PARSE(cli, argc, argv);

  agent::AgentConfig config;
  if (!config_path.empty()) {
    auto file = config::File::Load(config_path);
    auto parsed = file.ok() ? agent::ReadAgentConfig(*file) : Result<agent::AgentConfig>(file.status());
    if (!parsed.ok()) {
      std::fprintf(stderr, "hai-agent: %s\n", parsed.status().message().c_str());
      return config::kExitConfig;
    }
    config = *parsed;
  }
  if (!node_name.empty()) config.node_name = node_name;
  if (!profile.empty()) config.profile = profile;
  if (Status st = agent::FinishAgentConfig(&config, config_path.empty() ? "flags" : config_path);
      !st.ok()) {
    std::fprintf(stderr, "hai-agent: %s\n", st.message().c_str());
    return config::kExitConfig;
  }
  bool level_ok = true;
  log::Init("hai-agent", log::ParseLevel(config.log_level, &level_ok));

  systemd::SignalWaiter signals;
  auto source = agent::MakeInventorySource(config);
  if (!source.ok()) {
    log::Error("cannot read the inventory", {{"error", source.status().message()}});
    return 1;
  }
  auto app = agent::AgentApp::Create(config, std::move(*source), SystemClock::Get());
  if (!app.ok()) {
    log::Error("cannot start", {{"error", app.status().message()}});
    // A broken engine profile is configuration: restarting does not heal it.
    return app.status().code() == Code::kInvalidArgument ? config::kExitConfig : 1;
  }
  if (Status st = (*app)->Start(); !st.ok()) {
    log::Error("cannot start", {{"error", st.message()}});
    return 1;
  }
  if (!ready_file.empty()) systemd::WriteReadyFile(ready_file, (*app)->port());
  systemd::NotifyReady();
  auto period = std::min(systemd::WatchdogPingInterval().value_or(std::chrono::milliseconds(1000)),
                         std::chrono::milliseconds(1000));
  int sig = signals.Wait(period, [] { systemd::NotifyWatchdog(); });
  log::Info("stopping", {{"signal", sig}});
  systemd::NotifyStopping();
  (*app)->Stop();
  return 0;
}
