#pragma once

#include <mutex>
#include <set>

#include "lib/base/status.h"

namespace hai::agent {

// Hands out engine ports from [first, last]: one that no replica of this
// agent holds and that nothing else on the host is bound to right now.
// Thread-safe.
class PortPool {
 public:
  PortPool(int first, int last) : first_(first), last_(last), next_(first) {}

  // ResourceExhausted when every port of the range is taken.
  Result<int> Acquire();
  void Release(int port);
  // Whether a port this agent holds can still be bound (checked before a
  // restart: something else may have taken it while the engine was down).
  static bool Bindable(int port);

 private:
  const int first_;
  const int last_;
  std::mutex mu_;
  int next_;            // GUARDED_BY(mu_): ports are handed out round-robin
  std::set<int> held_;  // GUARDED_BY(mu_)
};

}  // namespace hai::agent
