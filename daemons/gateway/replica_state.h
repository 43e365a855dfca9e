#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace hai::gateway {

// What this gateway knows about one replica beyond the routing table: the
// requests it has in flight here and whether it was ejected after a failure.
// Outlives routing-table updates (kept by replica id) so that the counts and
// ejections carry over. Thread-safe.
class ReplicaState {
 public:
  ReplicaState(int64_t id, std::string address, std::string host, int port, std::string node)
      : id_(id),
        address_(std::move(address)),
        host_(std::move(host)),
        port_(port),
        node_(std::move(node)) {}

  int64_t id() const { return id_; }
  const std::string& address() const { return address_; }  // "http://host:port"
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const std::string& node() const { return node_; }

  int outstanding() const { return outstanding_.load(std::memory_order_relaxed); }
  void Begin() { outstanding_.fetch_add(1, std::memory_order_relaxed); }
  void End() { outstanding_.fetch_sub(1, std::memory_order_relaxed); }

  bool ejected() const { return ejected_.load(std::memory_order_acquire); }
  // After a failure: no requests until a probe succeeds, the first probe
  // `eject_ms` from `now`, each later one twice as far, up to `max_eject_ms`.
  // Returns true when this failure ejected a replica that was taking traffic.
  bool Eject(int64_t now, int64_t eject_ms, int64_t max_eject_ms);
  // A probe succeeded, or a request did: back in rotation.
  void Reinstate();
  // Whether an ejected replica is due for its next probe.
  bool ProbeDue(int64_t now) const;
  // A failed probe: the next one after twice the last wait (bounded).
  void ProbeFailed(int64_t now, int64_t max_eject_ms);

 private:
  const int64_t id_;
  const std::string address_;
  const std::string host_;
  const int port_;
  const std::string node_;
  std::atomic<int> outstanding_{0};
  std::atomic<bool> ejected_{false};
  mutable std::mutex mu_;
  int64_t next_probe_ms_ = 0;  // GUARDED_BY(mu_)
  int64_t backoff_ms_ = 0;     // GUARDED_BY(mu_)
};

// Counts a request as outstanding on a replica for as long as it lives.
class InFlight {
 public:
  explicit InFlight(ReplicaState* replica) : replica_(replica) { replica_->Begin(); }
  ~InFlight() { replica_->End(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  ReplicaState* replica_;
};

}  // namespace hai::gateway
