#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/placement/cluster.h"

namespace hai::placement {

// The durable record of who holds what. The scheduler daemon backs it with
// SQLite; tests and the bench use InMemoryLedger. The Placer calls every
// method under its own exclusive lock, so an implementation only needs to be
// atomic per call, not to order calls itself.
class Ledger {
 public:
  virtual ~Ledger() = default;
  // Stores all of `allocations` or none (one transaction); assigns their ids
  // and returns them as stored.
  virtual Result<std::vector<Allocation>> Commit(std::vector<Allocation> allocations) = 0;
  // Removes and returns every allocation of `holder` (empty when none).
  virtual Result<std::vector<Allocation>> RemoveHolder(const std::string& holder) = 0;
  // Removes and returns every allocation on `node` (empty when none).
  virtual Result<std::vector<Allocation>> RemoveNode(const std::string& node) = 0;
  virtual Result<std::vector<Allocation>> List() const = 0;
};

// Thread-safe (one internal mutex), ids "a-1", "a-2", ... in commit order.
class InMemoryLedger final : public Ledger {
 public:
  Result<std::vector<Allocation>> Commit(std::vector<Allocation> allocations) override;
  Result<std::vector<Allocation>> RemoveHolder(const std::string& holder) override;
  Result<std::vector<Allocation>> RemoveNode(const std::string& node) override;
  Result<std::vector<Allocation>> List() const override;

 private:
  template <typename Pred>
  std::vector<Allocation> RemoveIf(Pred pred);

  mutable std::mutex mu_;
  std::map<uint64_t, Allocation> allocations_;  // GUARDED_BY(mu_), by commit sequence
  uint64_t next_ = 1;                           // GUARDED_BY(mu_)
};

}  // namespace hai::placement
