#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/list_query.h"
#include "daemons/portal/model.h"
#include "daemons/portal/service_types.h"
#include "lib/store/database.h"

// The services table (migration 5, written by hai-portal only), read with
// each service's status summed over its deployments and their replicas.
// Called inside the caller's transaction.
namespace hai::portal::services {

using store::Database;

struct NewService {
  int64_t org_id = 0;
  std::string name;
  std::string description;
  std::vector<std::string> capabilities;
  int64_t model_id = 0;
  std::optional<int64_t> created_by;
};

// A taken name (case-insensitive) is AlreadyExists naming `name`.
Result<ModelService> Insert(Database::Tx& tx, const NewService& s, int64_t now);
Result<ModelService> Get(Database::Tx& tx, int64_t id);
// Names are unique without ASCII case, as the gateway matches them.
Result<std::optional<ModelService>> FindByName(Database::Tx& tx, const std::string& name);

struct Filter {
  std::optional<int64_t> org_id;
  std::optional<int64_t> model_id;
  std::string q;                                     // part of the name or description
  std::optional<std::vector<int64_t>> visible_orgs;  // unset: every organisation
};
Result<Page<ModelService>> List(Database::Tx& tx, const Filter& filter, const ListWindow& window);

Status Update(Database::Tx& tx, int64_t id, const std::optional<std::string>& description,
              const std::optional<std::vector<std::string>>& capabilities, int64_t now);

// Deletes a service: every deployment turns 'deleting' (the scheduler stops
// their replicas and then removes them); a service without deployments goes
// at once (true), otherwise it is marked deleted and removed later by
// RemoveFinished (false). Deleting a deleted service changes nothing.
Result<bool> Delete(Database::Tx& tx, int64_t id, int64_t now);
// Removes deleted services whose last deployment is gone; returns how many.
Result<int64_t> RemoveFinished(Database::Tx& tx);

// The names of the services that serve `model_id`, deleted ones included
// (their engines may still run).
Result<std::vector<std::string>> NamesUsingModel(Database::Tx& tx, int64_t model_id);

// Sortable list fields → SQL, and the default order.
const std::map<std::string, std::string>& SortColumns();
inline constexpr const char* kDefaultSort = "name";

}  // namespace hai::portal::services
