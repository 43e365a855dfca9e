#include "daemons/gateway/replica_state.h"

#include <algorithm>

namespace hai::gateway {

bool ReplicaState::Eject(int64_t now, int64_t eject_ms, int64_t max_eject_ms) {
  std::lock_guard lock(mu_);
  const bool was_ejected = ejected_.exchange(true, std::memory_order_acq_rel);
  // A request that was already in flight when the replica was ejected and
  // fails too must not push the probe further out.
  if (was_ejected) return false;
  backoff_ms_ = std::min(eject_ms, max_eject_ms);
  next_probe_ms_ = now + backoff_ms_;
  return true;
}

void ReplicaState::Reinstate() {
  if (!ejected_.load(std::memory_order_acquire)) return;
  std::lock_guard lock(mu_);
  ejected_.store(false, std::memory_order_release);
  backoff_ms_ = 0;
}

bool ReplicaState::ProbeDue(int64_t now) const {
  if (!ejected()) return false;
  std::lock_guard lock(mu_);
  return now >= next_probe_ms_;
}

void ReplicaState::ProbeFailed(int64_t now, int64_t max_eject_ms) {
  std::lock_guard lock(mu_);
  backoff_ms_ = std::min(backoff_ms_ * 2, max_eject_ms);
  next_probe_ms_ = now + backoff_ms_;
}

}  // namespace hai::gateway
