#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "hwcheck/host/peer_control.h"
#include "hwcheck/host/tcp_socket.h"

namespace hai::hwcheck::host {

// The listener behind `hai-hwcheck serve` (protocol in serve_protocol.h).
// One thread per connection, all bounded in number and time; Serve() returns
// within about a second of Stop() (or of `stop_fd` becoming readable), after
// joining every thread it started. Stop() may be called from any thread; the
// rest from the thread that owns the server.
class PeerServer {
 public:
  PeerServer(ServeOptions options, std::string token);
  ~PeerServer();
  PeerServer(const PeerServer&) = delete;
  PeerServer& operator=(const PeerServer&) = delete;

  // Binds options.listen (port 0 = any free port, see port()).
  Status Listen();
  int port() const { return port_; }
  // Serves until Stop() or until `stop_fd` (-1 = none) becomes readable.
  void Serve(int stop_fd = -1);
  void Stop();

 private:
  struct BandwidthSession {
    int streams = 0;
    std::atomic<uint64_t> bytes{0};
    std::atomic<int> joined{0};
    std::atomic<bool> done{false};
  };
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };

  // Runs `body` on a new thread; false (nothing started) once stopping.
  bool StartWorker(std::function<void()> body);
  void ReapWorkers(bool all);
  void HandleConnection(Socket conn, std::string peer);
  void HandleBandwidth(int fd, int seconds, int streams);
  void HandleData(Socket conn, const std::string& session_id);
  void HandleRoce(int fd, int device, int seconds);
  void HandleRdma(int fd, const std::string& device, int seconds);
  // Starts `argv` (a fixed test server) in the background, killed after
  // `seconds` + kRoceGrace; answers STARTED or ERR on `fd`.
  void StartTestServer(int fd, std::vector<std::string> argv, int seconds);
  // Sleeps up to `d` in short steps; false when the server is stopping.
  bool SleepUnlessStopping(std::chrono::milliseconds d) const;

  ServeOptions options_;
  std::string token_;
  Socket listener_;
  int port_ = 0;
  int wake_read_ = -1, wake_write_ = -1;  // Stop() → Serve()'s poll
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> roce_runs_{0};

  std::mutex mu_;  // guards sessions_ and workers_
  std::map<std::string, std::shared_ptr<BandwidthSession>> sessions_;
  std::list<Worker> workers_;
};

}  // namespace hai::hwcheck::host
