#include "lib/systemd/notify.h"

#include <systemd/sd-daemon.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace hai::systemd {

void NotifyReady() { sd_notify(0, "READY=1"); }

void NotifyStatus(std::string_view status) {
  std::string msg = "STATUS=" + std::string(status);
  sd_notify(0, msg.c_str());
}

void NotifyWatchdog() { sd_notify(0, "WATCHDOG=1"); }

void NotifyStopping() { sd_notify(0, "STOPPING=1"); }

std::optional<std::chrono::milliseconds> WatchdogPingInterval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::milliseconds(usec / 2000);
}

void WriteReadyFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << "{\"port\":" << port << "}\n";
  std::filesystem::rename(tmp, path);
}

}  // namespace hai::systemd
