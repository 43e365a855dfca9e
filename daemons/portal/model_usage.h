#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/store/database.h"

namespace hai::portal {

// Tells the registry whether something still uses a model's weights, so
// that they are not removed under a running engine. The deployment
// controller implements it; without one, nothing is in use.
class ModelUsage {
 public:
  virtual ~ModelUsage() = default;
  // Asked inside the registry's write transaction (the same database), so a
  // deployment cannot start using the model between the check and the
  // removal. Empty: not in use; otherwise the users, named for the error
  // message ("service 'triage-chat'").
  virtual Result<std::vector<std::string>> UsersOf(store::Database::Tx& tx,
                                                   int64_t model_id) const = 0;
};

}  // namespace hai::portal
