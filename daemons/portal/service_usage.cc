#include "daemons/portal/service_usage.h"

#include "daemons/portal/service_store.h"

namespace hai::portal {

Result<std::vector<std::string>> ServiceModelUsage::UsersOf(store::Database::Tx& tx,
                                                            int64_t model_id) const {
  HAI_ASSIGN_OR_RETURN(std::vector<std::string> names, services::NamesUsingModel(tx, model_id));
  for (std::string& name : names) name = "service '" + name + "'";
  return names;
}

}  // namespace hai::portal
