#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hai::systemd {

// sd_notify wrappers; each is a no-op when not started by systemd (no NOTIFY_SOCKET).
void NotifyReady();
void NotifyStatus(std::string_view status);
void NotifyWatchdog();
void NotifyStopping();

// Half the WatchdogSec interval systemd expects pings at, when it set one.
std::optional<std::chrono::milliseconds> WatchdogPingInterval();

// For a starter that is not systemd (haictl up, tests): writes {"port":N}
// to `path` through a temporary file and a rename, so a reader never sees
// half a file.
void WriteReadyFile(const std::string& path, int port);

}  // namespace hai::systemd
