#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "hwcheck/host/cluster_token.h"
#include "hwcheck/host/peer_control.h"
#include "hwcheck/host/peer_server.h"

namespace hai::hwcheck {
namespace {

// The write end of the self-pipe the signal handler wakes the server with
// (write(2) is async-signal-safe; nothing else happens in the handler).
std::atomic<int> g_signal_pipe{-1};

void OnSignal(int) {
  int fd = g_signal_pipe.load();
  if (fd >= 0) (void)!write(fd, "s", 1);
}

// Installs the SIGINT/SIGTERM handlers for its lifetime, then puts the old ones back.
class StopSignals {
 public:
  StopSignals() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return;
    read_fd_ = fds[0];
    write_fd_ = fds[1];
    g_signal_pipe = write_fd_;
    struct sigaction action {};
    action.sa_handler = OnSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    if (read_fd_ < 0) return;
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    g_signal_pipe = -1;
    close(read_fd_);
    close(write_fd_);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  int fd() const { return read_fd_; }

 private:
  int read_fd_ = -1, write_fd_ = -1;
  struct sigaction old_int_ {
  }, old_term_{};
};

}  // namespace

int RunServe(const ServeOptions& options) {
  Result<std::string> token = host::ReadClusterToken(options.token_file);
  if (!token.ok()) {
    std::fprintf(stderr, "hai-hwcheck serve: %s\n", token.status().message().c_str());
    return 1;
  }
  // Handlers first: once the port answers, a SIGTERM stops the server cleanly.
  StopSignals signals;
  if (signals.fd() < 0) {
    std::fprintf(stderr, "hai-hwcheck serve: cannot create the signal pipe\n");
    return 1;
  }
  host::PeerServer server(options, *token);
  if (Status st = server.Listen(); !st.ok()) {
    std::fprintf(stderr, "hai-hwcheck serve: cannot listen on %s: %s\n", options.listen.c_str(),
                 st.message().c_str());
    return 1;
  }
  std::fprintf(stderr, "hai-hwcheck serve: listening on %s (port %d)\n", options.listen.c_str(),
               server.port());
  server.Serve(signals.fd());
  std::fprintf(stderr, "hai-hwcheck serve: stopped\n");
  return 0;
}

}  // namespace hai::hwcheck
