#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace hai::systemd {

// sd_notify wrappers; each is a no-op when not started by systemd (no NOTIFY_SOCKET).
void NotifyReady();
void NotifyStatus(std::string_view status);
void NotifyWatchdog();
void NotifyStopping();

// Half the WatchdogSec interval systemd expects pings at, when it set one.
std::optional<std::chrono::milliseconds> WatchdogPingInterval();

}  // namespace hai::systemd
