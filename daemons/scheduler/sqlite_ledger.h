#pragma once

#include "lib/placement/ledger.h"
#include "lib/store/database.h"

namespace hai::scheduler {

// The allocation ledger in the control-plane database, so bindings survive a
// scheduler restart. Each call is one transaction. Thread-safe.
class SqliteLedger final : public placement::Ledger {
 public:
  explicit SqliteLedger(store::Database* db) : db_(db) {}
  Result<std::vector<placement::Allocation>> Commit(
      std::vector<placement::Allocation> allocations) override;
  Result<std::vector<placement::Allocation>> RemoveHolder(const std::string& holder) override;
  Result<std::vector<placement::Allocation>> RemoveNode(const std::string& node) override;
  Result<std::vector<placement::Allocation>> List() const override;

 private:
  Result<std::vector<placement::Allocation>> RemoveWhere(const std::string& column,
                                                         const std::string& value);
  store::Database* db_;
};

}  // namespace hai::scheduler
