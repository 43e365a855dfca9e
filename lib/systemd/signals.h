#pragma once

#include <chrono>
#include <functional>

namespace hai::systemd {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (call from main
// before starting threads so they inherit the mask) and reads them through a
// signalfd: no work ever runs in a signal handler.
class SignalWaiter {
 public:
  SignalWaiter();
  ~SignalWaiter();
  SignalWaiter(const SignalWaiter&) = delete;
  SignalWaiter& operator=(const SignalWaiter&) = delete;

  // Waits until SIGTERM or SIGINT arrives, calling `tick` at least every
  // `period` (the watchdog ping and other housekeeping). Returns the signal.
  int Wait(std::chrono::milliseconds period, const std::function<void()>& tick);

 private:
  int fd_ = -1;
};

}  // namespace hai::systemd
