#include "lib/placement/ledger.h"

namespace hai::placement {

Result<std::vector<Allocation>> InMemoryLedger::Commit(std::vector<Allocation> allocations) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Allocation& a : allocations) {
    a.id = "a-" + std::to_string(next_);
    allocations_.emplace(next_++, a);
  }
  return allocations;
}

template <typename Pred>
std::vector<Allocation> InMemoryLedger::RemoveIf(Pred pred) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Allocation> removed;
  for (auto it = allocations_.begin(); it != allocations_.end();) {
    if (pred(it->second)) {
      removed.push_back(std::move(it->second));
      it = allocations_.erase(it);
    } else {
      ++it;
    }
  }
  return removed;
}

Result<std::vector<Allocation>> InMemoryLedger::RemoveHolder(const std::string& holder) {
  return RemoveIf([&](const Allocation& a) { return a.holder == holder; });
}

Result<std::vector<Allocation>> InMemoryLedger::RemoveNode(const std::string& node) {
  return RemoveIf([&](const Allocation& a) { return a.node == node; });
}

Result<std::vector<Allocation>> InMemoryLedger::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Allocation> all;
  all.reserve(allocations_.size());
  for (const auto& [seq, a] : allocations_) all.push_back(a);
  return all;
}

}  // namespace hai::placement
