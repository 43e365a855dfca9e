#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "lib/cluster/replica_wire.h"
#include "lib/http/client.h"

namespace hai::agent {

// Sends the agent's replica reports to the scheduler
// (POST /internal/v1/nodes/{node}/replicas) from its own thread, so neither
// a route nor a supervisor ever waits on the network. Every queued report is
// sent in order (each one is a transition the scheduler may turn into an
// event); when none is queued the current report goes out every interval,
// like the heartbeat, so a lost one is corrected. Thread-safe.
class ReplicaReporter {
 public:
  struct Settings {
    std::string scheduler_host;
    int scheduler_port = 0;
    std::string token;
    std::string node;
    std::chrono::milliseconds interval{2000};
  };
  ReplicaReporter(Settings settings, std::function<cluster::ReplicaReport()> current);
  ~ReplicaReporter();  // Stop()

  void Enqueue(cluster::ReplicaReport report);
  void Start();
  void Stop();
  // Reports the scheduler accepted (for tests and logs).
  int64_t sent() const;

 private:
  void Run();
  Status Send(const cluster::ReplicaReport& report);

  const Settings settings_;
  const std::function<cluster::ReplicaReport()> current_;
  std::unique_ptr<http::Client> client_;  // reporter thread only

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<cluster::ReplicaReport> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                     // GUARDED_BY(mu_)
  int64_t sent_ = 0;                          // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace hai::agent
