#include "lib/systemd/signals.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

namespace hai::systemd {

SignalWaiter::SignalWaiter() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);
  fd_ = signalfd(-1, &mask, SFD_CLOEXEC);
}

SignalWaiter::~SignalWaiter() {
  if (fd_ >= 0) close(fd_);
}

int SignalWaiter::Wait(std::chrono::milliseconds period, const std::function<void()>& tick) {
  for (;;) {
    if (tick) tick();
    pollfd p{fd_, POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(period.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    signalfd_siginfo info{};
    if (read(fd_, &info, sizeof(info)) != sizeof(info)) continue;
    if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) return static_cast<int>(info.ssi_signo);
  }
}

}  // namespace hai::systemd
