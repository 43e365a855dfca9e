#pragma once

#include "daemons/portal/model_usage.h"

namespace hai::portal {

// A model is in use while a service serves it, a deleted one included until
// its replicas are gone: removing the weights would pull them from under a
// running engine. Stateless; thread-safe.
class ServiceModelUsage : public ModelUsage {
 public:
  Result<std::vector<std::string>> UsersOf(store::Database::Tx& tx,
                                           int64_t model_id) const override;
};

}  // namespace hai::portal
